// Step-response figures from a sampled signal: 10-90 % rise time, overshoot, 2 % settling time and
// steady-state error, the way a control engineer reads them off a scope.

export interface StepResponse {
    riseTimeMs: number
    overshootPct: number
    settlingTimeMs: number
    steadyStateErrorPct: number
    /** mean of the last `finalWindow` fraction of the record */
    finalValue: number
    /** when the response crossed 10 % and 90 % of the step (NaN if it never did) */
    rise10Us: number
    rise90Us: number
}

/**
 * @param tUs sample times (ascending), from the step on
 * @param y the response, starting from `initial`
 * @param stepStartUs time the step began
 * @param target the commanded final value
 * @param finalWindow fraction of the record (at its end) averaged for the final value
 */
export function stepResponse(
    tUs: readonly number[],
    y: readonly number[],
    stepStartUs: number,
    initial: number,
    target: number,
    finalWindow = 0.2
): StepResponse {
    if (tUs.length < 10) throw new Error("step response: too few samples")
    const nFinal = Math.max(1, Math.floor(tUs.length * finalWindow))
    let sum = 0
    for (let i = tUs.length - nFinal; i < tUs.length; i++) sum += y[i]
    const finalValue = sum / nFinal
    const span = finalValue - initial
    const crossing = (fraction: number) => {
        const level = initial + fraction * span
        for (let i = 1; i < y.length; i++) {
            const a = (y[i - 1] - level) * Math.sign(span)
            const b = (y[i] - level) * Math.sign(span)
            if (a < 0 && b >= 0) return tUs[i - 1] + ((tUs[i] - tUs[i - 1]) * -a) / (b - a)
        }
        return NaN
    }
    const rise10Us = crossing(0.1)
    const rise90Us = crossing(0.9)
    const riseTimeMs = (rise90Us - rise10Us) / 1000
    let peak = initial
    for (const v of y) if ((v - peak) * Math.sign(span) > 0) peak = v
    const overshootPct = Math.max(0, (100 * (peak - finalValue)) / span)
    const band = 0.02 * Math.abs(span)
    let lastOutside = stepStartUs
    for (let i = 0; i < y.length; i++) if (Math.abs(y[i] - finalValue) > band) lastOutside = tUs[i]
    return {
        riseTimeMs,
        overshootPct,
        settlingTimeMs: (lastOutside - stepStartUs) / 1000,
        steadyStateErrorPct: (100 * Math.abs(finalValue - target)) / Math.abs(target),
        finalValue,
        rise10Us,
        rise90Us,
    }
}
