// Small number helpers the simulator's figures and models share.

/** `x` to `digits` decimals, as a number (for the figures a run prints) */
export const round = (x: number, digits: number) => Number(x.toFixed(digits))

/** `x` limited to [lo, hi] */
export const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x))

/**
 * Adds a busy interval [startUs, startUs + durationUs) to `windowsUs`, the busy time of each window of
 * `windowUs` (window k starts at k windowUs), splitting it over the windows it spans.
 */
export function addToWindows(windowsUs: number[], windowUs: number, startUs: number, durationUs: number) {
    let t = startUs
    const end = startUs + durationUs
    while (t < end) {
        const w = Math.floor(t / windowUs)
        const part = Math.min(end, (w + 1) * windowUs) - t
        while (windowsUs.length <= w) windowsUs.push(0)
        windowsUs[w] += part
        t += part
    }
}
