// The targets of design/targets.md a scenario's run is judged by (Scenario.failedChecks): each check
// says what missed its bound, with both numbers, so `hfw sim` and a sweep's row tell why a run failed.
// A figure the run did not measure is not judged: a run that measured nothing fails as that already
// (sim/run.ts `unmeasured`).
import type { FaultReport, SimResult } from "../result.ts"

/** design/targets.md, "Timing on the target": every board's CPU load p99 under the model, % */
export const CPU_LOAD_P99_MAX_PCT = 60
/** ... and its heap high-water, of the runtime's 64 KB */
export const HEAP_BOUND_BYTES = 40 * 1024

/** The reasons a run failed, gathered check by check. */
export class Verdict {
    private readonly why: string[] = []

    /** `value` at most `max` (a missing figure is not judged: the run measured nothing there) */
    atMost(what: string, value: number | undefined, max: number, unit = "") {
        if (value !== undefined && !(value <= max)) this.why.push(`${what} ${value}${unit} over ${max}${unit}`)
    }

    /** no fault reported: a run within its targets trips nothing */
    noFaults(faults: FaultReport[]) {
        if (faults.length) this.fail(`faults reported: ${faults.map(f => `${f.board} ${f.code}`).join(", ")}`)
    }

    /** a failure stated as it is */
    fail(why: string) {
        this.why.push(why)
    }

    /**
     * design/targets.md's timing on the target, every board: CPU load p99 (under the model only: with
     * target=ideal the boards' CPU is not modelled), no deadline missed after the first second (the
     * boot's), the heap's high-water under its bound
     */
    boardTiming(r: SimResult) {
        const modelled = r.params.target !== "ideal"
        for (const c of r.cpu) {
            if (modelled) this.atMost(`${c.board}'s CPU load p99`, c.loadPctP99, CPU_LOAD_P99_MAX_PCT, " %")
            this.atMost(`${c.board}'s missed periods after the first second`, c.deadlineMissesAfterFirstSecond, 0)
            this.atMost(`${c.board}'s heap high-water`, c.heapHighWaterBytes, HEAP_BOUND_BYTES, " B")
        }
    }

    /** the reasons, or undefined when every check passed */
    result(): string | undefined {
        return this.why.length ? this.why.join("; ") : undefined
    }
}
