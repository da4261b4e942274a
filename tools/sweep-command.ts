// `hfw sim sweep <scenario> --seeds A-B [--param key=v1,v2,...] [--workers N] [--shard I/N] [--duration S] --out DIR [--json]`
// `hfw sim merge DIR... --out DIR [--json]`
import { UsageError } from "../sim/errors.ts"
import type { SweepFile } from "../sim/sweep/sweep-file.ts"
import { mergeSweeps } from "../sim/sweep/merge.ts"
import { parseParamLists, parseSeeds, parseShard, SEEDS_ACCEPTED } from "../sim/sweep/plan.ts"
import { runSweep } from "../sim/sweep/sweep.ts"
import { parseDurationS, parseOptions } from "./options.ts"
import { runsProgress } from "./progress.ts"

export const SWEEP_USAGE = "hfw sim sweep <scenario> --seeds A-B [--param key=v1,v2,...] [--workers N] [--shard I/N] [--duration S] --out DIR [--json]"
export const MERGE_USAGE = "hfw sim merge DIR... --out DIR [--json]"

export async function runSweepCommand(argv: string[]): Promise<number> {
    const { values, positionals } = parseOptions(
        argv,
        {
            seeds: { type: "string" },
            param: { type: "string", multiple: true },
            workers: { type: "string" },
            shard: { type: "string" },
            duration: { type: "string" },
            out: { type: "string" },
            json: { type: "boolean" },
        },
        SWEEP_USAGE
    )
    if (positionals.length !== 1) throw new UsageError(`one scenario expected, got ${positionals.join(" ") || "none"}\nusage: ${SWEEP_USAGE}`)
    if (values.seeds === undefined) throw new UsageError(`--seeds is required: ${SEEDS_ACCEPTED}\nusage: ${SWEEP_USAGE}`)
    if (values.out === undefined) throw new UsageError(`--out DIR is required: the folder for sweep.json, sweep.csv and report.html\nusage: ${SWEEP_USAGE}`)
    const workers = values.workers === undefined ? undefined : Number(values.workers)
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))
        throw new UsageError(`--workers '${values.workers}' is not accepted; a whole number of worker threads, 1 or more (default: the machine's cores)`)
    const durationS = parseDurationS(values.duration)
    const plan = { scenario: positionals[0], seeds: parseSeeds(values.seeds), params: parseParamLists(values.param ?? []), ...(durationS === undefined ? {} : { durationS }) }
    const shard = values.shard === undefined ? undefined : parseShard(values.shard)

    const progress = runsProgress(`sweep ${plan.scenario}`)
    const r = await runSweep({ plan, shard, workers, outDir: values.out, onProgress: progress.update })
    progress.done()
    const summary = { ...summaryOf(r.file), workers: r.workers, wallSeconds: Number(r.wallSeconds.toFixed(2)), outputs: r.outputs }
    process.stderr.write(
        [
            `sweep ${plan.scenario}: ${r.file.rows.length} of ${r.file.runs} runs${shard ? ` (shard ${shard.index}/${shard.count})` : ""} on ${r.workers} worker thread(s) in ${summary.wallSeconds} s wall; ${r.file.failed} failed`,
            ...failedLines(r.file),
            `  wrote sweep.json, sweep.csv, report.html: ${r.outputs.find(o => o.endsWith("report.html"))}`,
        ].join("\n") + "\n"
    )
    if (values.json) process.stdout.write(JSON.stringify(summary) + "\n")
    return r.file.failed === 0 ? 0 : 1
}

export async function runMergeCommand(argv: string[]): Promise<number> {
    const { values, positionals } = parseOptions(argv, { out: { type: "string" }, json: { type: "boolean" } }, MERGE_USAGE)
    if (values.out === undefined) throw new UsageError(`--out DIR is required: the folder for the merged sweep\nusage: ${MERGE_USAGE}`)
    const r = await mergeSweeps(positionals, values.out)
    process.stderr.write(
        [
            `merged ${positionals.length} folder(s) into ${r.file.runs} runs of ${r.file.plan.scenario}; ${r.file.failed} failed`,
            ...failedLines(r.file),
            `  wrote sweep.json, sweep.csv, report.html: ${r.outputs.find(o => o.endsWith("report.html"))}`,
        ].join("\n") + "\n"
    )
    if (values.json) process.stdout.write(JSON.stringify({ ...summaryOf(r.file), outputs: r.outputs }) + "\n")
    return r.file.failed === 0 ? 0 : 1
}

/** the --json summary of a sweep's rows: the plan, the counts, and each failed run with its command */
function summaryOf(file: SweepFile) {
    const failedRuns = file.rows.filter(r => r.error !== null).map(r => ({ run: r.run, seed: r.seed, params: r.params, error: r.error, command: r.command }))
    return { ...file.plan, shard: file.shard, runs: file.runs, rows: file.rows.length, failed: file.failed, failedRuns }
}

function failedLines(file: SweepFile): string[] {
    return file.rows.filter(r => r.error !== null).map(r => `  FAILED run ${r.run}: ${r.error}\n    ${r.command}`)
}
