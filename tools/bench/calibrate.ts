// From a bench run to the simulator: the actuator plant's parameters fitted from the run's trace (its
// captures, as written to trace/*.csv), written as simulator parameters (`--param` names, for
// `hfw sim ... --params FILE` and `hfw bench ... --target sim --params FILE`).
import fs from "node:fs"
import path from "node:path"
import { UsageError } from "../../sim/errors.ts"
import type { CaptureData } from "./bench-joint.ts"
import { fitElectrical, fitFriction, fitLever, fitThermalRise, mean } from "./fit.ts"
import type { BenchRun } from "./protocol.ts"

export interface PlantFit {
    /** simulator parameters by `--param` name (act.*) */
    params: Record<string, number>
    /** which protocol each came from, and what could not be fitted */
    sources: Record<string, string>
    missing: string[]
}

/** a bench run read back from its directory: its summary and its captures by trace topic */
export interface StoredRun {
    summary: BenchRun
    captures: Map<string, CaptureData>
}

export function readBenchRun(dir: string): StoredRun {
    const summaryPath = path.join(dir, "summary.json")
    if (!fs.existsSync(summaryPath)) throw new UsageError(`--from ${dir}: no summary.json there; give the --out directory of an hfw bench run`)
    const summary = readBenchSummary(dir, summaryPath)
    const captures = new Map<string, CaptureData>()
    const traceDir = path.join(dir, "trace")
    for (const file of fs.existsSync(traceDir) ? fs.readdirSync(traceDir).sort() : []) {
        const m = /^(.+)_(\d+)\.csv$/.exec(file)
        if (!m) continue // the telemetry topics carry no capture number
        captures.set(`${m[1]}_${m[2]}`, parseCaptureCsv(fs.readFileSync(path.join(traceDir, file), "utf8")))
    }
    return { summary, captures }
}

/** a bench run's summary.json; a UsageError naming what the folder is when it is not a bench run's */
function readBenchSummary(dir: string, file: string): BenchRun {
    let summary: Record<string, unknown>
    try {
        summary = JSON.parse(fs.readFileSync(file, "utf8"))
    } catch (e) {
        throw new UsageError(`--from ${dir}: its summary.json is not JSON (${(e as Error).message}); give the --out folder of an hfw bench run`)
    }
    if (typeof summary?.scenario === "string")
        throw new UsageError(`--from ${dir} is a simulation's folder (hfw sim ${summary.scenario}), not a bench run's; give the --out folder of an hfw bench run (hfw bench <protocol> --target ... --out DIR)`)
    if (typeof summary?.protocol !== "string" || !Array.isArray(summary.results))
        throw new UsageError(`--from ${dir}: its summary.json is not a bench run's (no protocol and results); give the --out folder of an hfw bench run`)
    return summary as unknown as BenchRun
}

function parseCaptureCsv(text: string): CaptureData {
    const [head, ...lines] = text.trim().split("\n")
    const cols = head.split(",")
    const rows = lines.map(l => l.split(",").map(Number))
    const col = (name: string) => {
        const k = cols.indexOf(name)
        if (k < 0) throw new Error(`trace file without a ${name} column`)
        return rows.map(r => r[k])
    }
    const periodUs = col("periodUs")
    const tS = col("time_s")
    return {
        periodMeanUs: mean(periodUs),
        decimation: tS.length > 1 ? Math.round((tS[1] - tS[0]) / (mean(periodUs) / 1e6)) : 1,
        tS,
        currentRefA: col("currentRefA"),
        currentA: col("currentA"),
        voltageV: col("voltageV"),
        angleRad: col("angleRad"),
        velocityRadS: col("velocityRadS"),
        ntcC: col("ntcC"),
        periodUs,
    }
}

const capturesOf = (run: StoredRun, prefix: string) => [...run.captures].filter(([k]) => k.startsWith(prefix)).map(([, c]) => c)
const metricsOf = (run: StoredRun, protocol: string) => run.summary.results.find(r => r.protocol === protocol && r.status !== "error")?.metrics as Record<string, number> | undefined

/** every plant parameter the run's protocols measured; the order matters (R before thermal, K before friction) */
export function fitPlant(run: StoredRun): PlantFit {
    const settings = run.summary.identity?.settings ?? {}
    const params: Record<string, number> = {}
    const sources: Record<string, string> = {}
    const missing: string[] = []
    const gear = settings.gearRatio * settings.gearEff

    const steps = capturesOf(run, "step_step_")
    if (steps.length) {
        const el = fitElectrical(steps, steps[0].periodMeanUs / 1e6)
        params["act.resistanceOhm"] = el.resistanceOhm
        params["act.inductanceUh"] = el.inductanceH * 1e6
        sources["act.resistanceOhm"] = sources["act.inductanceUh"] = `step: ${steps.length} captures, i[k+1] = a i[k] + b v[k], two-stage least squares`
    } else missing.push("act.resistanceOhm, act.inductanceUh (run step)")

    const lever = capturesOf(run, "torque-constant_lever_")
    const leverNm = metricsOf(run, "torque-constant")?.leverNm
    let outputNmPerA = settings.ktNmPerA * gear
    if (lever.length && leverNm) {
        const samples = lever.flatMap(c => c.angleRad.map((a, i) => ({ angleRad: a, velocityRadS: c.velocityRadS[i], currentA: c.currentA[i] })))
        outputNmPerA = fitLever(samples, leverNm).outputNmPerA
        params["act.ktNmPerA"] = outputNmPerA / gear
        sources["act.ktNmPerA"] = `torque-constant: lever of ${leverNm} N·m, through the settings' gear ratio and efficiency`
    } else missing.push("act.ktNmPerA (run torque-constant with a lever)")

    const friction = capturesOf(run, "friction_friction_")
    if (friction.length) {
        const f = fitFriction(friction.map(c => ({ velocityRadS: mean(c.velocityRadS), torqueNm: outputNmPerA * mean(c.currentA) })))
        params["act.coulombNm"] = f.coulombNm
        params["act.viscousNmsPerRad"] = f.viscousNmsPerRad
        sources["act.coulombNm"] = sources["act.viscousNmsPerRad"] = `friction: ${friction.length} constant-speed moves`
    } else missing.push("act.coulombNm, act.viscousNmsPerRad (run friction)")

    const thermal = capturesOf(run, "thermal_thermal_")[0]
    const thermalParams = run.summary.params as Record<string, number>
    if (thermal) {
        const fit = fitThermalRise(thermal.tS, thermal.ntcC, thermalParams.ntcLagS ?? 2)
        const i = mean(thermal.currentA)
        const rOhm = params["act.resistanceOhm"] ?? settings.rOhm
        params["act.thermalTimeConstantS"] = fit.timeConstantS
        params["act.thermalResistanceKPerW"] = fit.riseC / (i * i * rOhm)
        sources["act.thermalTimeConstantS"] = sources["act.thermalResistanceKPerW"] = `thermal: ${i.toFixed(2)} A held, rise ${fit.riseC.toFixed(2)} °C`
    } else missing.push("act.thermalTimeConstantS, act.thermalResistanceKPerW (run thermal)")
    for (const k of Object.keys(params)) params[k] = Number(params[k].toPrecision(5))
    return { params, sources, missing }
}

/** a PARAMS.json file: `{ "act.resistanceOhm": 0.12, ... }` as `--param` overrides */
export function readParamsFile(file: string): string[] {
    let doc: unknown
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"))
    } catch (e) {
        throw new UsageError(`--params ${file}: ${(e as Error).message}`)
    }
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new UsageError(`--params ${file}: one JSON object of parameter names to values expected`)
    return Object.entries(doc as Record<string, unknown>).map(([k, v]) => `${k}=${v}`)
}
