// `hfw bench fit --from DIR [--out PARAMS.json] [--json]`: the plant's parameters from a bench run.
// `hfw bench compare --from DIR [--params PARAMS.json] [--json]`: the bench run's protocols replayed
// (the same commands and board-driven excitations) on a simulated board with those parameters, and
// the discrepancy: RMS current, angle and winding-temperature (NTC) error capture by capture, and the
// bandwidth difference.
import { TARGET_PARAMS } from "../../sim/params.ts"
import { writeFileAtomic } from "../../sim/files.ts"
import { checkOutFile } from "../../sim/out-dir.ts"
import { parseFlags } from "../options.ts"
import { UsageError } from "../../sim/errors.ts"
import { fitPlant, readBenchRun, readParamsFile } from "./calibrate.ts"
import { rms } from "./fit.ts"
import { runBench, PLANT_PARAMS } from "./run-bench.ts"

export const FIT_USAGE = "hfw bench fit --from DIR [--out PARAMS.json] [--json]"
export const COMPARE_USAGE = "hfw bench compare --from DIR [--params PARAMS.json] [--json]"

export async function runFitCommand(argv: string[]): Promise<number> {
    const v = parseFlags(argv, { from: { type: "string" }, out: { type: "string" }, json: { type: "boolean" } }, FIT_USAGE)
    if (!v.from) throw new UsageError(`--from DIR is required\nusage: ${FIT_USAGE}`)
    if (v.out) checkOutFile(v.out)
    const fit = fitPlant(readBenchRun(v.from))
    const lines = [`plant parameters fitted from ${v.from}:`]
    for (const [k, x] of Object.entries(fit.params)) lines.push(`  ${k.padEnd(30)} ${x}   (${fit.sources[k]})`)
    for (const m of fit.missing) lines.push(`  not fitted: ${m}`)
    if (v.out) {
        writeFileAtomic(v.out, JSON.stringify(fit.params, null, 2) + "\n")
        lines.push(`wrote ${v.out} (use: hfw sim joint-step --params ${v.out})`)
    }
    process.stderr.write(lines.join("\n") + "\n")
    if (v.json) process.stdout.write(JSON.stringify(fit) + "\n")
    return Object.keys(fit.params).length ? 0 : 1
}

export interface Discrepancy {
    capture: string
    currentRmsErrorA: number
    angleRmsErrorRad: number
    /** the winding NTC's reading: what the thermal protocol measures, and the thermal fit must replay */
    ntcRmsErrorC: number
}

export async function compareRun(from: string, paramsFile?: string, log?: (line: string) => void) {
    const stored = readBenchRun(from)
    const s = stored.summary
    const plant = paramsFile ? readParamsFile(paramsFile) : Object.entries(fitPlant(stored).params).map(([k, x]) => `${k}=${x}`)
    // the run's own protocol parameters and timing model (not its simulated plant's), then the plant's
    const protocolParams = Object.entries(s.params)
        .filter(([k, x]) => !(k in PLANT_PARAMS) && ((typeof x === "number" && Number.isFinite(x)) || (k in TARGET_PARAMS && typeof x === "string")))
        .map(([k, x]) => `${k}=${x}`)
    const replay = await runBench({ protocol: s.protocol, target: "sim", jointId: s.jointId, settingsFile: s.settingsFile, params: [...protocolParams, ...plant], log })
    const rows: Discrepancy[] = []
    for (const r of replay.results)
        for (const [name, records] of Object.entries(r.captures ?? {}))
            records.forEach((c, n) => {
                const bench = stored.captures.get(`${r.protocol}_${name}_${n}`)
                if (!bench) return
                const len = Math.min(bench.currentA.length, c.currentA.length)
                const d = (a: number[], b: number[]) => rms(a.slice(0, len).map((x, i) => x - b[i]))
                rows.push({
                    capture: `${r.protocol}/${name}/${n}`,
                    currentRmsErrorA: d(bench.currentA, c.currentA),
                    angleRmsErrorRad: d(bench.angleRad, c.angleRad),
                    ntcRmsErrorC: d(bench.ntcC, c.ntcC),
                })
            })
    const bw = (run: { results: { protocol: string; metrics?: Record<string, unknown> }[] }) =>
        run.results.find(r => r.protocol === "sweep")?.metrics?.bandwidthHz as number | undefined
    const benchBw = bw(s)
    const simBw = bw(replay)
    return {
        from,
        plant,
        captures: rows.length,
        currentRmsErrorA: rms(rows.map(r => r.currentRmsErrorA)),
        angleRmsErrorRad: rms(rows.map(r => r.angleRmsErrorRad)),
        ntcRmsErrorC: rms(rows.map(r => r.ntcRmsErrorC)),
        benchBandwidthHz: benchBw,
        simBandwidthHz: simBw,
        bandwidthDifferenceHz: benchBw !== undefined && simBw !== undefined ? simBw - benchBw : undefined,
        byCapture: rows,
    }
}

export async function runCompareCommand(argv: string[]): Promise<number> {
    const v = parseFlags(argv, { from: { type: "string" }, params: { type: "string" }, json: { type: "boolean" } }, COMPARE_USAGE)
    if (!v.from) throw new UsageError(`--from DIR is required\nusage: ${COMPARE_USAGE}`)
    const c = await compareRun(v.from, v.params, line => process.stderr.write(line + "\n"))
    process.stderr.write(
        [
            `bench run ${c.from} replayed in the simulator with ${c.plant.join(" ") || "the default plant"}:`,
            `  ${c.captures} captures compared: current RMS error ${c.currentRmsErrorA.toFixed(4)} A, angle RMS error ${c.angleRmsErrorRad.toFixed(5)} rad, ` +
                `winding NTC RMS error ${c.ntcRmsErrorC.toFixed(2)} °C`,
            c.bandwidthDifferenceHz !== undefined ? `  bandwidth: bench ${c.benchBandwidthHz} Hz, simulator ${c.simBandwidthHz} Hz` : "  bandwidth: no sweep in the run",
        ].join("\n") + "\n"
    )
    if (v.json) process.stdout.write(JSON.stringify(c) + "\n")
    return 0
}
