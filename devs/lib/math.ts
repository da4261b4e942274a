// Small pure helpers shared by the board programs.

/** `x` limited to [lo, hi] */
export function clamp(x: number, lo: number, hi: number): number {
    return x < lo ? lo : x > hi ? hi : x
}

/** true when `x` is a finite number (not NaN, not infinite) */
export function isFiniteNumber(x: number): boolean {
    return typeof x === "number" && x === x && x !== Infinity && x !== -Infinity
}
