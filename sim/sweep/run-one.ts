// One run of a sweep, in a worker thread: the combination run exactly as `hfw sim SCENARIO --seed S
// --param ...` runs it (runScenario, no output folder), returned as its row. A run that throws is a
// row that says why; the sweep goes on.
import { runScenario } from "../run.ts"
import { paramWords, type Combination, type SweepPlan } from "./plan.ts"
import { failedRow, rowOf, type SweepRow } from "./rows.ts"

export interface RunTask {
    plan: SweepPlan
    combination: Combination
}

export async function runOne({ plan, combination }: RunTask): Promise<SweepRow> {
    try {
        const result = await runScenario({ scenario: plan.scenario, seed: combination.seed, durationS: plan.durationS, params: paramWords(combination) })
        return rowOf(plan, combination, result)
    } catch (e) {
        return failedRow(plan, combination, `failed: ${(e as Error).message ?? e}`)
    }
}
