// Small pure helpers shared by the board programs.

/** `x` limited to [lo, hi] */
export function clamp(x: number, lo: number, hi: number): number {
    return x < lo ? lo : x > hi ? hi : x
}

/**
 * true when `x` is a finite number (not NaN, not infinite): x - x is 0 only then. On a per-step path
 * write the test itself (`x - x === 0`): a call costs the VM an activation record on its heap.
 */
export function isFiniteNumber(x: number): boolean {
    return typeof x === "number" && x - x === 0
}

/** sin(x) to within 1e-7 (the DeviceScript runtime has no Math.sin) */
export function sine(x: number): number {
    const twoPi = 2 * Math.PI
    let r = x - twoPi * Math.round(x / twoPi) // [-pi, pi]
    if (r > Math.PI / 2) r = Math.PI - r
    else if (r < -Math.PI / 2) r = -Math.PI - r
    const r2 = r * r
    // Taylor series to r^13 on [-pi/2, pi/2]
    let term = r
    let sum = r
    for (let n = 1; n <= 6; n++) {
        term *= -r2 / (2 * n * (2 * n + 1))
        sum += term
    }
    return sum
}
