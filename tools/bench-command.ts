// `hfw bench <protocol> --target sim|tcp:HOST:PORT|serial:DEVICE [--joint ID] [--param k=v ...] [--out DIR] [--json]`
// `hfw bench fit --from DIR [--out PARAMS.json]`, `hfw bench compare --from DIR [--params PARAMS.json]`
import { UsageError } from "../sim/errors.ts"
import { parseOptions } from "./options.ts"
import { PROTOCOL_NAMES, failedChecks, runBench, summaryOf } from "./bench/run-bench.ts"
import type { BenchRun } from "./bench/protocol.ts"
import { readParamsFile } from "./bench/calibrate.ts"
import { runFitCommand, runCompareCommand, FIT_USAGE, COMPARE_USAGE } from "./bench/fit-command.ts"
import { calibrateCpu } from "./bench/cpu-calibration.ts"

export const CPU_USAGE = "hfw bench cpu --target sim|tcp:HOST:PORT [--board joint|foot] [--param target=...|cpu.clockMHz=N ...] [--json]"
export const PROTOCOL_USAGE =
    "hfw bench <protocol> --target sim|tcp:HOST:PORT|serial:DEVICE [--joint ID] [--settings FILE] [--param key=value ...] [--params PARAMS.json] [--seed N] [--out DIR] [--json]"
export const BENCH_USAGE = [
    PROTOCOL_USAGE,
    FIT_USAGE,
    COMPARE_USAGE,
    CPU_USAGE,
].join("\n  ")

export async function runBenchCommand(argv: string[]): Promise<number> {
    if (argv[0] === "fit") return runFitCommand(argv.slice(1))
    if (argv[0] === "compare") return runCompareCommand(argv.slice(1))
    if (argv[0] === "cpu") return runCpuCommand(argv.slice(1))
    const { values, positionals } = parseOptions(
        argv,
        {
            target: { type: "string" },
            joint: { type: "string", default: "left_knee" },
            settings: { type: "string" },
            param: { type: "string", multiple: true },
            params: { type: "string" },
            seed: { type: "string" },
            out: { type: "string" },
            json: { type: "boolean" },
        },
        BENCH_USAGE
    )
    if (positionals.length !== 1) throw new UsageError(`one protocol expected (${PROTOCOL_NAMES.join(", ")})\nusage: ${BENCH_USAGE}`)
    if (!values.target) throw new UsageError(`--target is required: sim, tcp:HOST:PORT or serial:DEVICE\nusage: ${BENCH_USAGE}`)
    const seed = values.seed === undefined ? 1 : Number(values.seed)
    if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new UsageError(`--seed '${values.seed}' is not accepted; an integer from 0 to 4294967295`)
    // Ctrl-C stops the protocol at its next step; it then disables the joint and writes what it has
    const abort = new AbortController()
    const onSigint = () => {
        process.stderr.write("\ninterrupted: disabling the joint ...\n")
        abort.abort()
    }
    process.once("SIGINT", onSigint)
    try {
        const run = await runBench({
            protocol: positionals[0],
            target: values.target,
            jointId: values.joint!,
            settingsFile: values.settings,
            // a fitted plant (hfw bench fit --out) first, so --param can still override it
            params: [...(values.params ? readParamsFile(values.params) : []), ...(values.param ?? [])],
            seed,
            outDir: values.out,
            signal: abort.signal,
            log: line => process.stderr.write(line + "\n"),
        })
        process.stderr.write(formatBenchSummary(run) + "\n")
        if (values.json) process.stdout.write(JSON.stringify(summaryOf(run)) + "\n")
        return run.passed ? 0 : 1
    } finally {
        process.off("SIGINT", onSigint)
    }
}

async function runCpuCommand(argv: string[]): Promise<number> {
    const { values, positionals } = parseOptions(
        argv,
        {
            target: { type: "string" },
            board: { type: "string", default: "joint" },
            param: { type: "string", multiple: true },
            json: { type: "boolean" },
        },
        CPU_USAGE
    )
    if (positionals.length) throw new UsageError(`unexpected '${positionals.join(" ")}'\nusage: ${CPU_USAGE}`)
    if (!values.target) throw new UsageError(`--target is required: sim or tcp:HOST:PORT\nusage: ${CPU_USAGE}`)
    const r = await calibrateCpu({ target: values.target, board: values.board!, params: values.param ?? [], log: line => process.stderr.write(line + "\n") })
    const kind = (k: "integer" | "double") =>
        `  ${k.padEnd(8)} ${String(r.work[k].instructions).padStart(9)} instructions ${String(r.work[k].f64Ops).padStart(7)} soft-float ops: ` +
        `${r.medianMs[k]} ms on the board (rounds ${r.timingsMs[k].join(", ")}), table predicts ${r.table.predictedMs[k]} ms: scale ${r.scale[k]}`
    process.stderr.write(
        [
            `cpu calibration on ${r.target}: ${r.board} board, ${r.chip} taken at ${r.clockMHz} MHz, ${r.iterations} iterations per timing`,
            kind("integer"),
            kind("double"),
            `  measured: ${r.measured.cyclesPerInstruction} cycles per counted instruction, ${r.measured.cyclesPerF64Op} per soft-float op`,
            `  chip table (sim/vm/chips.ts): ${r.table.cyclesPerInstruction} and ${r.table.cyclesPerF64Op}`,
        ].join("\n") + "\n"
    )
    if (values.json) process.stdout.write(JSON.stringify(r) + "\n")
    return 0
}

export function formatBenchSummary(run: BenchRun): string {
    const lines = [`bench ${run.protocol} on ${run.target}, joint ${run.jointId}: ${run.passed ? "PASS" : "FAIL"} (${run.wallSeconds} s wall)`]
    if (run.identity) lines.push(`  board ${run.identity.deviceId} (joint_id ${run.identity.jointId}), program sha256 ${run.identity.programSha256.slice(0, 16)}...`)
    for (const r of run.results) {
        const checks = r.checks ?? []
        lines.push(`  ${r.protocol.padEnd(16)} ${r.status.padEnd(7)} ${checks.filter(c => c.pass).length}/${checks.length} checks${r.finalMode === 0 ? ", joint disabled" : ""}${r.error ? `: ${r.error}` : ""}`)
        for (const [k, v] of Object.entries(r.metrics ?? {})) if (typeof v === "number") lines.push(`      ${k.padEnd(28)} ${v}`)
    }
    for (const c of failedChecks(run)) lines.push(`  FAILED ${c.name}: ${c.value} ${c.unit} (${c.limit})`)
    if (run.outputs?.length) lines.push(`  report: ${run.outputs.find(o => o.endsWith("report.html"))}`)
    return lines.join("\n")
}
