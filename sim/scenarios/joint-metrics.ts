// Loop figures every joint scenario reports: the loop as the hardware sees it (bridge command times)
// and as the firmware measures itself (its telemetry).
import type { JointBoard } from "../hardware/joint-board.ts"
import type { FaultReport } from "../result.ts"
import { round } from "../numbers.ts"


/** loop rate and period jitter from bridge commands after `fromUs`; the firmware's own figures */
export function loopFigures(joint: JointBoard, fromUs: number) {
    const times = joint.driveTimesUs.filter(t => t >= fromUs)
    const periods = times.slice(1).map((t, i) => t - times[i])
    const mean = periods.reduce((s, x) => s + x, 0) / Math.max(1, periods.length)
    const sd = Math.sqrt(periods.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, periods.length))
    const self = joint.client.telemetry
    return {
        loopHz: round(1e6 / mean, 1),
        loopPeriodJitterUs: round(sd, 1),
        selfReportedPeriodUs: self?.loopPeriodMeanUs ?? null,
        selfReportedP99DeviationUs: self?.loopPeriodP99DevUs ?? null,
        selfReportedOverruns: self?.overruns ?? null,
    }
}

/** the fault events a joint board reported, as the JSON contract's `faults` rows */
export function jointFaults(joint: JointBoard): FaultReport[] {
    return joint.client.faults.map(f => ({ board: joint.name, code: f.name, tS: f.tUs / 1e6, detail: f.detail }))
}

/** the mean of the values of time-stamped samples [tUs, value] in [fromUs, toUs) */
export function meanBetween(samples: readonly (readonly [number, number])[], fromUs: number, toUs: number): number {
    const w = samples.filter(([tUs]) => tUs >= fromUs && tUs < toUs).map(([, v]) => v)
    return w.reduce((sum, v) => sum + v, 0) / w.length
}
