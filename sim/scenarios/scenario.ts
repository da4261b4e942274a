// What a scenario is: its parameters, its default duration, and how it sets a simulation up and
// measures it.
import type { ParamSpecs } from "../params.ts"
import type { Simulation } from "../simulation.ts"
import type { ScenarioReport } from "../report/html.ts"
import type { FaultReport, Metrics, SimResult } from "../result.ts"

export interface ScenarioRun {
    /** scenario-specific metrics, measured in this run */
    metrics(): Metrics
    /** fault events the firmware reported */
    faults?(): FaultReport[]
    /** the report's sections designed around the scenario's question (sim/report/), from the run's result */
    report?(result: SimResult): ScenarioReport
}

export interface Scenario {
    name: string
    description: string
    defaultDurationS: number
    /** the default duration when it depends on the parameters (e.g. a number of steps) */
    durationS?(params: Record<string, number | string>): number
    params: ParamSpecs
    /** checks the parameters against each other and the run's duration, before the run (throws UsageError) */
    checkParams?(params: Record<string, number | string>, durationS: number): void
    setup(sim: Simulation, params: Record<string, number | string>): Promise<ScenarioRun>
    /**
     * why a run failed the checks the scenario makes itself, design/targets.md's for its configuration
     * (verdict.ts), or undefined: `hfw sim` exits 1 and a sweep counts the run as failed
     */
    failedChecks?(result: SimResult): string | undefined
    /** a scenario without failedChecks: why it judges nothing (`hfw sim` prints it where the checks go) */
    unjudgedBecause?: string
}
