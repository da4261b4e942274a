// A scenario's verdict on its run (Scenario.failedChecks), by design/targets.md's targets as the
// reports mark them (sim/report/targets.ts holds the numbers): each check says what missed its bound,
// with both numbers, so `hfw sim` and a sweep's row tell why a run failed.
// A figure the run did not measure is not judged: a run that measured nothing fails as that already
// (sim/run.ts `unmeasured`).
import type { FaultReport, SimResult } from "../result.ts"
import { BOARD_TARGETS } from "../report/targets.ts"
import type { CpuSummary } from "../vm/cpu-stats.ts"

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

    /**
     * boardTiming's missed periods in one line for many boards of one kind (a scenario with a board per
     * case): how many missed periods after the first second, and which the most
     */
    missedPeriods(boards: CpuSummary[], kind: string) {
        const missed = (c: CpuSummary) => c.deadlineMissesAfterFirstSecond ?? 0
        const missing = boards.filter(c => missed(c) > BOARD_TARGETS.deadlineMisses)
        if (!missing.length) return
        const worst = missing.reduce((a, b) => (missed(b) > missed(a) ? b : a))
        this.fail(
            `${missing.length} of ${boards.length} ${kind} missed periods of their ${Math.round(1e6 / worst.periodUs!)} Hz loop after the first ` +
                `second (${worst.board} the most, ${missed(worst)}; ${BOARD_TARGETS.deadlineMisses} allowed)`
        )
    }

    /** the reasons, or undefined when every check passed */
    result(): string | undefined {
        return this.why.length ? this.why.join("; ") : undefined
    }
}
