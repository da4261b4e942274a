// The targets of design/targets.md: the figures the reports draw and mark pass or fail, and the
// scenarios' own verdicts (sim/scenarios/verdict.ts) read them here, one number each. A check is a
// measured figure against its limit; a figure with no limit in targets.md is shown without a verdict.
import { STOCK_TICK_US } from "../vm/target-model.ts"

export interface Check {
    figure: string
    /** measured in this run; null when the run could not measure it */
    value: number | null
    unit: string
    /** "<= 0.5", "< 150"; empty when targets.md sets none */
    target: string
    pass?: boolean
}

/** a figure against an upper limit (`strict`: must stay below it) */
export function atMost(figure: string, value: number | null | undefined, unit: string, limit: number, strict = false): Check {
    const v = value ?? null
    return { figure, value: v, unit, target: `${strict ? "<" : "<="} ${limit}`, pass: v !== null && (strict ? v < limit : v <= limit) }
}

/** a figure shown beside the checks, without a verdict */
export const shown = (figure: string, value: number | null | undefined, unit: string): Check => ({ figure, value: value ?? null, unit, target: "" })

/** the rows of a checks table (a row's `pass` colours it) */
export const checkRows = (checks: Check[]) =>
    checks.map(c => ({
        figure: c.figure,
        measured: c.value ?? "none",
        unit: c.unit,
        target: c.target,
        ...(c.pass === undefined ? {} : { pass: c.pass }),
    }))

/** joint-step with the current loop in the chip: in time; in the firmware: in its loop periods */
export const STEP_TARGETS = {
    chip: { riseMs: 0.5, settlingMs: 2 },
    firmware: { risePeriods: 4, settlingPeriods: 12 },
    overshootPct: 10,
    steadyStateErrorPct: 1,
}
export const TRACK_TARGETS = { torqueRmsErrorPct: 5 }
/** the stiffness is targets.md's; the position step's overshoot the tests' (targets.md names the figure) */
export const IMPEDANCE_TARGETS = { stiffnessErrorPct: 5, positionOvershootPct: 10 }
/** foot-gait; its latencies: footLatencyTargets */
export const FOOT_TARGETS = { falseContacts: 0, missedContacts: 0, copRmsErrorMm: 5, grfRmsErrorPct: 3 }
/**
 * foot-gait's latency p99s for the runtime's main-loop tick: on the stock runtime's (10 ms)
 * design/targets.md "Timing on the target", on a finer one the foot contact table's
 */
export function footLatencyTargets(tickUs: number) {
    return tickUs >= STOCK_TICK_US ? { touchdownP99Ms: 15, liftoffP99Ms: 20 } : { touchdownP99Ms: 10, liftoffP99Ms: 15 }
}
export const WALK_TARGETS = { trackingRmsDeg: 1, busLoadPct: 70 }
/** per board on the target timing model (the heap: of the runtime's 64 KB) */
export const BOARD_TARGETS = { cpuLoadP99Pct: 60, deadlineMisses: 0, heapHighWaterBytes: 40 * 1024 }
