// `hfw sim sweep`: the plan checked and the output folder checked before anything runs, then the
// shard's combinations spread over a pool of worker threads (tinypool), each a whole run in its
// thread, then the folder written from the rows in run order.
import os from "node:os"
import { fileURLToPath } from "node:url"
import Tinypool from "tinypool"
import { UsageError } from "../errors.ts"
import { bytecodeDigests } from "../firmware.ts"
import { checkOutDir } from "../out-dir.ts"
import { checkPlan, combinations, inShard, type Shard, type SweepPlan } from "./plan.ts"
import { failedRow, type SweepRow } from "./rows.ts"
import { SWEEP_OUTPUTS, writeSweepFolder } from "./files.ts"
import { sweepFile, type SweepFile } from "./sweep-file.ts"
import type { RunTask } from "./run-one.ts"

// the worker's module, beside this one: sim/sweep/ run from the sources, build/ run from the bundle
const WORKER = fileURLToPath(new URL("./sweep-worker.mjs", import.meta.url))

export interface SweepOptions {
    plan: SweepPlan
    shard?: Shard
    /** worker threads; the machine's cores when absent */
    workers?: number
    outDir: string
    /** after each run: runs done and failed so far, of `total` */
    onProgress?: (done: number, failed: number, total: number) => void
}

export interface SweepResult {
    file: SweepFile
    workers: number
    wallSeconds: number
    outputs: string[]
}

export const defaultWorkers = () => os.availableParallelism()

export async function runSweep(opts: SweepOptions): Promise<SweepResult> {
    checkPlan(opts.plan)
    const workers = opts.workers ?? defaultWorkers()
    if (!(Number.isInteger(workers) && workers >= 1)) throw new UsageError(`--workers ${workers} is not accepted; a whole number of threads, 1 or more`)
    checkOutDir(opts.outDir, "--out", SWEEP_OUTPUTS)
    const todo = inShard(combinations(opts.plan), opts.shard)
    const bytecode = bytecodeDigests()
    const threads = Math.max(1, Math.min(workers, todo.length))

    const wall0 = performance.now()
    const pool = new Tinypool({ filename: WORKER, minThreads: threads, maxThreads: threads, isolateWorkers: false })
    const rows: SweepRow[] = []
    let failed = 0
    try {
        await Promise.all(
            todo.map(async combination => {
                const task: RunTask = { plan: opts.plan, combination }
                // a worker that dies (out of memory, a crash in the VM) fails its run, not the sweep
                const row = await pool.run(task).catch((e: Error) => failedRow(opts.plan, combination, `worker failed: ${e.message}`))
                rows.push(row)
                if (row.error !== null) failed++
                opts.onProgress?.(rows.length, failed, todo.length)
            })
        )
    } finally {
        await pool.destroy()
    }
    const file = sweepFile(opts.plan, opts.shard ?? null, bytecode, rows)
    const outputs = await writeSweepFolder(opts.outDir, file)
    return { file, workers: threads, wallSeconds: (performance.now() - wall0) / 1000, outputs }
}
