// A scenario's verdict on its run (Scenario.failedChecks), by design/targets.md's targets as the
// reports mark them (sim/report/targets.ts holds the numbers): each check says what missed its bound,
// with both numbers, so `hfw sim` and a sweep's row tell why a run failed.
// A figure the run did not measure is not judged: a run that measured nothing fails as that already
// (sim/run.ts `unmeasured`).
import type { FaultReport, SimResult } from "../result.ts"
import { BOARD_TARGETS } from "../report/targets.ts"

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
            if (modelled) this.atMost(`${c.board}'s CPU load p99`, c.loadPctP99, BOARD_TARGETS.cpuLoadP99Pct, " %")
            this.atMost(`${c.board}'s missed periods after the first second`, c.deadlineMissesAfterFirstSecond, BOARD_TARGETS.deadlineMisses)
            this.atMost(`${c.board}'s heap high-water`, c.heapHighWaterBytes, BOARD_TARGETS.heapHighWaterBytes, " B")
        }
    }

    /** the reasons, or undefined when every check passed */
    result(): string | undefined {
        return this.why.length ? this.why.join("; ") : undefined
    }
}
