// sweep.json's format: the plan, the shard it ran, and one row per run in run order. An unsharded
// sweep and merged shards make it through the same function (files.ts writes it, report.ts renders it).
import { runCount, type Shard, type SweepPlan } from "./plan.ts"
import type { SweepRow } from "./rows.ts"

/** sweep.json's format; a later change to it bumps this */
export const SWEEP_FORMAT = 1

export interface SweepFile {
    format: typeof SWEEP_FORMAT
    plan: SweepPlan
    /** runs in the whole sweep */
    runs: number
    /** the shard these rows are (null: the whole sweep) */
    shard: Shard | null
    /** the build each board's program was run from (sim/firmware.ts bytecodeDigests): shards of one sweep share it */
    bytecode: Record<string, string | null>
    /** rows whose run failed, panicked or measured nothing */
    failed: number
    /** in run order */
    rows: SweepRow[]
}

export function sweepFile(plan: SweepPlan, shard: Shard | null, bytecode: SweepFile["bytecode"], rows: readonly SweepRow[]): SweepFile {
    const sorted = [...rows].sort((a, b) => a.run - b.run)
    return { format: SWEEP_FORMAT, plan, runs: runCount(plan), shard, bytecode, failed: sorted.filter(r => r.error !== null).length, rows: sorted }
}
