// `hfw sim <scenario> [--seed N] [--duration S] [--param key=value ...] [--out DIR] [--trace both|mcap|csv] [--json]`
import { UsageError } from "../sim/errors.ts"
import { runScenario, unmeasured } from "../sim/run.ts"
import { findScenario } from "../sim/scenarios/index.ts"
import type { SimResult } from "../sim/result.ts"
import { parseTraceFiles } from "../sim/trace-files.ts"
import { parseDurationS, parseOptions } from "./options.ts"
import { progressBar } from "./progress.ts"
import { readParamsFile } from "./bench/calibrate.ts"
import { runServeCommand, SERVE_USAGE } from "./serve-command.ts"
import { runProgram } from "./run-program.ts"
import { MERGE_USAGE, runMergeCommand, runSweepCommand, SWEEP_USAGE } from "./sweep-command.ts"

export const RUN_USAGE = "hfw sim run FILE.ts [--board joint|foot] [--duration S] [--param target=esp32|ideal ...] [--json]"
export const SCENARIO_USAGE = "hfw sim <scenario> [--seed N] [--duration S] [--param key=value ...] [--params PARAMS.json] [--out DIR [--trace both|mcap|csv]] [--json]"
export const SIM_USAGE = [SCENARIO_USAGE, SERVE_USAGE, RUN_USAGE, SWEEP_USAGE, MERGE_USAGE].join("\n  ")

export async function runSimCommand(argv: string[]): Promise<number> {
    if (argv[0] === "serve") return runServeCommand(argv.slice(1))
    if (argv[0] === "run") return runProgramCommand(argv.slice(1))
    if (argv[0] === "sweep") return runSweepCommand(argv.slice(1))
    if (argv[0] === "merge") return runMergeCommand(argv.slice(1))
    const { values, positionals } = parseOptions(
        argv,
        {
            seed: { type: "string" },
            duration: { type: "string" },
            param: { type: "string", multiple: true },
            params: { type: "string" },
            out: { type: "string" },
            trace: { type: "string" },
            json: { type: "boolean" },
        },
        SIM_USAGE
    )
    if (positionals.length > 1) throw new UsageError(`one scenario expected, got ${positionals.join(" ")}\nusage: ${SIM_USAGE}`)
    const seed = values.seed === undefined ? undefined : Number(values.seed)
    if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32))
        throw new UsageError(`--seed '${values.seed}' is not accepted; an integer from 0 to 4294967295`)
    const durationS = parseDurationS(values.duration)
    const traceFiles = values.trace === undefined ? undefined : parseTraceFiles(values.trace)
    if (traceFiles && values.out === undefined) throw new UsageError(`--trace ${values.trace} chooses the trace files written into --out DIR; give --out DIR too\nusage: ${SCENARIO_USAGE}`)

    const progress = progressBar(`sim ${positionals[0]}`)
    const result = await runScenario({
        scenario: positionals[0],
        seed,
        durationS,
        params: [...(values.params ? readParamsFile(values.params) : []), ...(values.param ?? [])],
        outDir: values.out,
        traceFiles,
        onProgress: progress.update,
    })
    progress.done()
    process.stderr.write(formatSummary(result) + "\n")
    if (values.json) process.stdout.write(JSON.stringify(result) + "\n")
    const why = unmeasured(result)
    if (why) process.stderr.write(`hfw sim: ${result.scenario} measured nothing: ${why}\n`)
    const failed = result.failedChecks
    if (failed) process.stderr.write(`hfw sim: ${result.scenario} failed its checks: ${failed}\n`)
    return result.panics === 0 && !why && !failed ? 0 : 1
}

async function runProgramCommand(argv: string[]): Promise<number> {
    const { values, positionals } = parseOptions(
        argv,
        {
            board: { type: "string", default: "joint" },
            duration: { type: "string", default: "5" },
            param: { type: "string", multiple: true },
            json: { type: "boolean" },
        },
        RUN_USAGE
    )
    if (positionals.length !== 1) throw new UsageError(`one DeviceScript file expected\nusage: ${RUN_USAGE}`)
    const durationS = parseDurationS(values.duration)!
    const r = await runProgram({
        file: positionals[0],
        board: values.board!,
        durationS,
        params: values.param ?? [],
        onLog: (tUs, line) => process.stderr.write(`[${(tUs / 1e6).toFixed(3).padStart(9)} s] ${line}\n`),
    })
    const c = r.cpu
    process.stderr.write(
        [
            `${r.file} (${r.bytes} bytes) on a ${r.board} board (${c.chip} at ${c.clockMHz} MHz, target=${r.params.target}, tick ${r.params["runtime.tickUs"]} us)`,
            `  simulated ${r.simSeconds} s in ${r.wallSeconds} s wall: ${r.realTimeFactor} x real time   panics ${r.panics}`,
            `  cpu load ${c.loadPct} % (p99 of 100 ms windows ${c.loadPctP99} %), ${c.wakes} wakes, busy p50 ${c.busyUsP50} us, p99 ${c.busyUsP99} us, max ${c.busyUsMax} us`,
            `  timers late p99 ${c.timerLateUsP99} us, max ${c.timerLateUsMax} us; ${c.opcodes} opcodes; heap high-water ${c.heapHighWaterBytes} of ${c.heapBytes} bytes (${c.garbageCollections} collections)`,
            ...r.panicDetails.map(p => `  PANIC code ${p.code} at ${(p.tUs / 1e6).toFixed(3)} s: ${p.message}`),
            ...(r.vmProfile ? ["  counted work by function (more in --json):", ...r.vmProfile.slice(0, RUN_PROFILE_SHOWN).map(f => `    ${String(f.pct).padStart(5)} %  ${f.name}`)] : []),
        ].join("\n") + "\n"
    )
    if (values.json) process.stdout.write(JSON.stringify(r) + "\n")
    return r.panics === 0 ? 0 : 1
}

/** the names each board's line of `vm.lookups=on` shows */
const LOOKUPS_SHOWN = 5
/** the functions each board's line of `vm.profile=on` shows */
const PROFILE_SHOWN = 6
/** ... and `hfw sim run`'s one board, a line each */
const RUN_PROFILE_SHOWN = 10

export function formatSummary(r: SimResult): string {
    const lines = [
        `scenario ${r.scenario}  seed ${r.seed}  ${r.boards} board(s)`,
        `  simulated ${r.simSeconds} s in ${r.wallSeconds} s wall: ${r.realTimeFactor} x real time`,
        `  trace hash ${r.traceHash}   panics ${r.panics}   faults ${r.faults.length}   bus load ${r.busLoadPct} %`,
    ]
    for (const p of r.panicDetails) lines.push(`  PANIC ${p.board} code ${p.code} at ${(p.tUs / 1e6).toFixed(3)} s: ${p.message}`)
    // the scenario's own verdict, when it judges its runs (sim/scenarios/verdict.ts)
    const scenario = findScenario(r.scenario)
    if (scenario.failedChecks) lines.push(`  checks: ${r.failedChecks ? `FAILED: ${r.failedChecks}` : "passed (design/targets.md for this configuration)"}`)
    else if (scenario.unjudgedBecause) lines.push(`  checks: none: ${scenario.unjudgedBecause}`)
    if (r.vmLookups) {
        lines.push(`  lookups by name that compared strings (name lookups/compares, the ${LOOKUPS_SHOWN} most of each board; more in --json):`)
        for (const [board, counts] of Object.entries(r.vmLookups))
            lines.push(`    ${board}: ${counts.slice(0, LOOKUPS_SHOWN).map(c => `${c.name} ${c.lookups}/${c.compares}`).join(", ") || "none"}`)
    }
    if (r.vmProfile) {
        lines.push(`  counted work by bytecode function (% of each board's, the ${PROFILE_SHOWN} most; more in --json):`)
        for (const [board, rows] of Object.entries(r.vmProfile))
            lines.push(`    ${board}: ${rows.slice(0, PROFILE_SHOWN).map(f => `${f.name} ${f.pct} %`).join(", ")}`)
    }
    for (const [k, v] of Object.entries(r.metrics)) {
        if (Array.isArray(v) && v.length && typeof v[0] === "object") {
            lines.push(`  ${k}:`)
            for (const row of v) lines.push(`    ${JSON.stringify(row)}`)
        } else lines.push(`  ${k.padEnd(24)} ${JSON.stringify(v)}`)
    }
    if (r.outputs?.length) {
        const report = r.outputs.find(o => o.endsWith("report.html"))
        const trace = [r.outputs.some(o => o.endsWith("trace.mcap")) && "trace.mcap", r.outputs.some(o => o.endsWith(".csv")) && "trace/*.csv"].filter(Boolean)
        lines.push(`  wrote ${r.outputs.length} files (${[...trace, "summary.json", "report.html"].join(", ")})`)
        if (report) lines.push(`  report: ${report}`)
    }
    return lines.join("\n")
}
