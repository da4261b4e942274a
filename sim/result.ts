// What a run of a scenario gives: the `hfw sim --json` contract (design/targets.md), every figure in it
// measured in that run. Below the scenarios, the reports and the command line, which all read it.
import type { VmPanic } from "./vm/board-vm.ts"
import type { CpuSummary } from "./vm/cpu-stats.ts"
import type { LookupCount } from "./vm/lookup-probe.ts"
import type { FunctionWork } from "./vm/op-profile.ts"

export type Metrics = Record<string, unknown>

export interface FaultReport {
    board: string
    code: string
    tS: number
    /** fault-specific detail (e.g. the cell index of a load-cell fault) */
    detail?: number
}

export interface SimResult {
    scenario: string
    seed: number
    simSeconds: number
    wallSeconds: number
    realTimeFactor: number
    traceHash: string
    boards: number
    busLoadPct: number
    /** load of each timed segment over the run, percent */
    busLoadBySegment: Record<string, number>
    /** highest load of any timed segment in any 100 ms window, percent */
    busPeakWindowLoadPct: number
    panics: number
    panicDetails: VmPanic[]
    /** each board's chip time under the target timing model (target=esp32; zero with target=ideal) */
    cpu: CpuSummary[]
    metrics: Metrics
    faults: FaultReport[]
    /** with `--param vm.lookups=on`: each board's lookups by name that compared strings, the most first */
    vmLookups?: Record<string, LookupCount[]>
    /** with `--param vm.profile=on`: each board's counted work by its bytecode's functions, the most first */
    vmProfile?: Record<string, FunctionWork[]>
    params: Record<string, number | string>
    /** why the run failed the checks its scenario makes itself (Scenario.failedChecks); absent when it did not, or its scenario makes none */
    failedChecks?: string
    outputs?: string[]
}
