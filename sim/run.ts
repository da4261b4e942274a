// Runs one scenario and produces the `hfw sim --json` contract (design/targets.md): every figure in
// it is measured in this run.
import { UsageError } from "./errors.ts"
import { COMMON_PARAMS, resolveParams, targetOf } from "./params.ts"
import { findScenario } from "./scenarios/index.ts"
import type { SimResult } from "./result.ts"
import { Simulation } from "./simulation.ts"
import { checkOutDir, writeRunFolder } from "./out-dir.ts"
import { busCharts, cpuCharts, renderReport, topicCharts, type ScenarioReport } from "./report/html.ts"
import { round } from "./numbers.ts"
import type { TraceFiles } from "./trace-files.ts"
import { PROFILE_ROWS_KEPT } from "./vm/op-profile.ts"

/** the names `vm.lookups=on` reports for each board, the most looked up first */
const LOOKUP_NAMES_KEPT = 20

export interface SimOptions {
    scenario: string
    seed?: number
    durationS?: number
    params?: readonly string[]
    /** where to write trace.mcap, trace/*.csv, summary.json and report.html; nothing is written without it */
    outDir?: string
    /** which trace files to write into outDir: both (the default), mcap or csv */
    traceFiles?: TraceFiles
    onProgress?: (simS: number, totalS: number) => void
}

export async function runScenario(opts: SimOptions): Promise<SimResult> {
    const scenario = findScenario(opts.scenario)
    const params = resolveParams({ ...COMMON_PARAMS, ...scenario.params }, opts.params ?? [])
    const seed = opts.seed ?? 1
    const durationS = opts.durationS ?? scenario.durationS?.(params) ?? scenario.defaultDurationS
    if (!(durationS > 0) || durationS > 24 * 3600)
        throw new UsageError(`--duration ${durationS} is not accepted; a number of seconds from 0 to 86400`)
    scenario.checkParams?.(params, durationS)
    if (opts.outDir) checkOutDir(opts.outDir)

    // the trace's rows go to disk as the run goes when they will be written (an hour's would not fit
    // in memory), and are not kept when nothing will be
    const traceRows = opts.outDir ? { spillBeside: opts.outDir } : "none"
    const lookupProbe = params["vm.lookups"] === "on"
    const opProfile = params["vm.profile"] === "on"
    if (lookupProbe && opProfile) throw new UsageError("--param vm.lookups=on and vm.profile=on are not accepted together (each is its own copy of the VM); run one, then the other")
    const sim = new Simulation({ seed, target: targetOf(params), vmJitterMs: Number(params.vmJitterMs), traceRows, lookupProbe, opProfile })
    try {
        const run = await scenario.setup(sim, params)
        const wall0 = performance.now()
        await sim.run(durationS, tUs => opts.onProgress?.(tUs / 1e6, durationS))
        const wallSeconds = (performance.now() - wall0) / 1000
        const elapsedUs = sim.clock.nowUs
        const timed = sim.segments.filter(s => s.timed)
        const busLoadBySegment = Object.fromEntries(timed.map(s => [s.name, round(s.loadPct(elapsedUs), 2)]))
        const result: SimResult = {
            scenario: scenario.name,
            seed,
            simSeconds: durationS,
            wallSeconds: round(wallSeconds, 3),
            realTimeFactor: round(durationS / wallSeconds, 1),
            traceHash: sim.trace.digest(),
            boards: sim.boards.length,
            busLoadPct: Math.max(0, ...Object.values(busLoadBySegment)),
            busLoadBySegment,
            busPeakWindowLoadPct: round(Math.max(0, ...timed.map(s => s.peakWindowLoadPct())), 2),
            panics: sim.panics.length,
            panicDetails: sim.panics,
            cpu: sim.cpuSummaries(),
            metrics: run.metrics(),
            faults: run.faults?.() ?? [],
            ...(lookupProbe ? { vmLookups: sim.lookupCounts(LOOKUP_NAMES_KEPT) } : {}),
            ...(opProfile ? { vmProfile: sim.profileCounts(PROFILE_ROWS_KEPT) } : {}),
            params,
        }
        const failed = scenario.failedChecks?.(result)
        if (failed) result.failedChecks = failed
        if (opts.outDir) result.outputs = await writeOutputs(sim, result, run.report?.(result) ?? { sections: [] }, opts.outDir, opts.traceFiles)
        return result
    } finally {
        await sim.stop()
        sim.trace.close()
    }
}

/** the run's folder: trace.mcap, trace/*.csv, summary.json, report.html (and a Foxglove layout), replacing an earlier run's */
async function writeOutputs(sim: Simulation, result: SimResult, designed: ScenarioReport, outDir: string, traceFiles: TraceFiles = "both"): Promise<string[]> {
    const load = [...busCharts(sim.segments), ...cpuCharts(sim.boards, sim.clock.nowUs)]
    const sections = [...designed.sections, ...(load.length ? [{ heading: "Bus and CPU load over time", plots: load }] : [])]
    const reportHtml = renderReport(result, { ...designed, sections }, sim.trace.topics.flatMap(topicCharts), traceFiles)
    const extraFiles: Record<string, string> =
        designed.foxgloveLayout === undefined || traceFiles === "csv" ? {} : { "foxglove-layout.json": JSON.stringify(designed.foxgloveLayout, null, 2) + "\n" }
    return writeRunFolder(outDir, { trace: sim.trace, traceFiles, summary: { ...result, outputs: undefined }, reportHtml, extraFiles })
}

/** why the run's metrics could not be measured (the scenario's `error`), or undefined when they were */
export function unmeasured(result: SimResult): string | undefined {
    const error = result.metrics.error
    return typeof error === "string" ? error : undefined
}
