// `hfw bench <protocol>`: runs one protocol (or `all`, in a safe order) against a target, and writes
// the run: summary.json, the trace (MCAP and CSV: every capture and the telemetry) and report.html.
import { UsageError } from "../../sim/errors.ts"
import { checkOutDir, writeRunFolder } from "../../sim/out-dir.ts"
import { resolveParams, TARGET_PARAMS, targetOf, type ParamSpecs, type ParamValues } from "../../sim/params.ts"
import { TraceRecorder } from "../../sim/trace.ts"
import { mountedAsSettings } from "../../sim/plants/actuator-sensors.ts"
import { JOINT_PARAMS, actuatorParams, sensorParams } from "../../sim/scenarios/joint-common.ts"
import { readJointSettingsFile } from "../joint-settings-file.ts"
import { settingsFileOf } from "../settings-file.ts"
import { boardIdOption } from "../deploy/board-kinds.ts"
import { Bench, BenchFaulted, BenchInterrupted, type BenchRun, type Check, type Protocol, type ProtocolOutcome } from "./protocol.ts"
import { openBusTarget, openSimTarget, parseTarget, tcpTransport, type BenchSession } from "./targets.ts"
import { serialTransport } from "./serial.ts"
import { renderBenchReport } from "./report.ts"
import { stepProtocol } from "./protocols/step.ts"
import { sweepProtocol } from "./protocols/sweep.ts"
import { loopTimingProtocol } from "./protocols/loop-timing.ts"
import { frictionProtocol } from "./protocols/friction.ts"
import { torqueConstantProtocol } from "./protocols/torque-constant.ts"
import { thermalProtocol } from "./protocols/thermal.ts"

/** in the order `all` runs them: nothing moves before the loop is known good, heat comes last */
export const PROTOCOLS: Protocol[] = [loopTimingProtocol, stepProtocol, sweepProtocol, torqueConstantProtocol, frictionProtocol, thermalProtocol]
export const PROTOCOL_NAMES = [...PROTOCOLS.map(p => p.name), "all"]

export interface BenchOptions {
    protocol: string
    target: string
    jointId: string
    /** --param key=value: protocol parameters, and for `--target sim` the plant's (act.*, sense.*) */
    params: string[]
    /** the joint's settings file (default settings/<jointId>.json): what the checks compare against */
    settingsFile?: string
    outDir?: string
    seed?: number
    signal?: AbortSignal
    log?: (line: string) => void
    /** called with each protocol's session once it is open (tests inject faults through it) */
    onSession?: (session: BenchSession, protocol: string) => void
}

/** the simulated plant's parameters (act.*, sense.*): its settings come from the joint's file */
export const PLANT_PARAMS: ParamSpecs = Object.fromEntries(Object.entries(JOINT_PARAMS).filter(([k]) => /^(act|sense)\./.test(k)))

/** every parameter the chosen protocols take, plus the simulated plant's for `--target sim` */
function paramSpecs(protocols: Protocol[], sim: boolean): ParamSpecs {
    const specs: ParamSpecs = {}
    for (const p of protocols) Object.assign(specs, p.params)
    if (sim) Object.assign(specs, PLANT_PARAMS, TARGET_PARAMS)
    return specs
}

/** `all`, one protocol, or several separated by commas (run in `all`'s order) */
export function protocolsFor(name: string): Protocol[] {
    if (name === "all") return PROTOCOLS
    const names = name.split(",")
    for (const n of names)
        if (!PROTOCOLS.some(p => p.name === n))
            throw new UsageError(`unknown protocol '${n}'; one of ${PROTOCOL_NAMES.join(", ")} (or several, separated by commas)`)
    return PROTOCOLS.filter(p => names.includes(p.name))
}

export async function runBench(o: BenchOptions): Promise<BenchRun> {
    const t0 = performance.now()
    const log = o.log ?? (() => {})
    const protocols = protocolsFor(o.protocol)
    const target = parseTarget(o.target)
    const params = resolveParams(paramSpecs(protocols, target.kind === "sim"), o.params)
    boardIdOption("joint", o.jointId)
    const settingsFile = readJointSettingsFile(o.settingsFile ?? settingsFileOf(o.jointId))
    if (o.outDir) checkOutDir(o.outDir)
    const signal = o.signal ?? new AbortController().signal
    const trace = new TraceRecorder()
    const run: BenchRun = { protocol: o.protocol, target: o.target, jointId: o.jointId, settingsFile: o.settingsFile, params, results: [], passed: false, wallSeconds: 0 }
    const plantParams = { ...params, actuator: settingsFile.actuator }
    const plant = target.kind === "sim" ? actuatorParams(plantParams) : undefined
    // a simulated joint's encoder is mounted as its settings file says (calibrated), as a served board's
    const sensors = target.kind === "sim" ? mountedAsSettings(sensorParams(plantParams), settingsFile.values) : undefined
    if (plant) run.plant = { ...plant }

    // a board on the bench stays connected across protocols; the simulator builds each one's rig
    let shared: BenchSession | undefined
    const open = async (p: Protocol): Promise<BenchSession> => {
        if (target.kind === "sim")
            return openSimTarget({
                rig: p.rig(params, settingsFile.values),
                jointId: o.jointId,
                actuator: plant!,
                sensors: sensors!,
                settings: settingsFile.values,
                seed: o.seed ?? 1,
                target: targetOf(params),
            })
        if (!shared) {
            log(`connecting to ${o.target}`)
            shared = await openBusTarget(o.target, target.kind === "tcp" ? tcpTransport(target.host, target.port) : await serialTransport(target.device))
        }
        return shared
    }
    try {
        for (const p of protocols) {
            if (signal.aborted) break
            log(`${p.name}: ${p.doc}`)
            const session = await open(p)
            o.onSession?.(session, p.name)
            run.identity ??= session.identity
            run.results.push(await runProtocol(p, session, params, signal, trace, log))
            if (target.kind === "sim") await session.close()
        }
    } finally {
        await shared?.close()
    }
    run.passed = run.results.length === protocols.length && run.results.every(r => r.status === "passed")
    run.wallSeconds = Number(((performance.now() - t0) / 1000).toFixed(2))
    if (o.outDir) run.outputs = await writeBenchRun(o.outDir, run, trace)
    return run
}

async function runProtocol(
    p: Protocol,
    session: BenchSession,
    params: ParamValues,
    signal: AbortSignal,
    trace: TraceRecorder,
    log: (line: string) => void
): Promise<ProtocolOutcome> {
    const bench = new Bench(session, params, signal, line => log(`  ${line}`))
    const telemetryFrom = session.joint.telemetryLog.length
    const t0Ms = session.clock.nowMs()
    let outcome: ProtocolOutcome
    try {
        const r = await session.run(() => p.run(bench))
        outcome = { ...r, status: r.checks.every(c => c.pass) ? "passed" : "failed" }
    } catch (e) {
        const err = e as Error
        outcome = { protocol: p.name, status: "error", error: err.message }
        if (e instanceof BenchFaulted) outcome.fault = err.message
        if (!(e instanceof BenchInterrupted) && !(e instanceof BenchFaulted)) log(`  ${p.name} failed: ${err.message}`)
    }
    // the joint was disabled by the protocol; confirm it from the board's own telemetry
    try {
        outcome.finalMode = await session.run(async () => {
            await session.joint.disable()
            await session.clock.sleep(100) // a report sent after the board took the command
            return (await session.joint.nextTelemetry(1000)).mode
        })
    } catch (e) {
        outcome.error = (outcome.error ? outcome.error + "; " : "") + `could not confirm the joint is disabled: ${(e as Error).message}`
        outcome.status = "error"
    }
    recordTrace(trace, p.name, outcome, session, telemetryFrom, t0Ms)
    return outcome
}

const CAPTURE_FIELDS = ["currentRefA", "currentA", "voltageV", "angleRad", "velocityRadS", "ntcC", "periodUs"] as const
const TELEMETRY_FIELDS = ["currentA", "currentRefA", "angleRad", "velocityRadS", "torqueNm", "windingC", "fault", "loopPeriodMeanUs", "loopPeriodP99DevUs", "overruns", "mode"] as const

/** each capture as its own topic `<protocol>/<name>/<n>` (time from the capture's start), and the telemetry */
function recordTrace(trace: TraceRecorder, protocol: string, r: ProtocolOutcome, session: BenchSession, telemetryFrom: number, t0Ms: number) {
    for (const [name, records] of Object.entries(r.captures ?? {}))
        records.forEach((c, n) => {
            const topic = trace.topic(`${protocol}/${name}/${n}`, CAPTURE_FIELDS)
            c.tS.forEach((t, i) => trace.record(topic, Math.round(t * 1e6), CAPTURE_FIELDS.map(f => c[f][i])))
        })
    const tel = trace.topic(`${protocol}/telemetry`, TELEMETRY_FIELDS)
    for (const t of session.joint.telemetryLog.slice(telemetryFrom))
        trace.record(tel, Math.round((t.tMs - t0Ms) * 1000), TELEMETRY_FIELDS.map(f => t[f]))
}

/** summary.json, the trace and report.html, replacing an earlier run's */
async function writeBenchRun(outDir: string, run: BenchRun, trace: TraceRecorder): Promise<string[]> {
    return writeRunFolder(outDir, { trace, summary: summaryOf(run), reportHtml: renderBenchReport(run) })
}

/** the run without its raw captures (those are in the trace) */
export function summaryOf(run: BenchRun) {
    return {
        ...run,
        results: run.results.map(({ captures: _c, plots: _p, ...rest }) => rest),
    }
}

export const failedChecks = (run: BenchRun): Check[] => run.results.flatMap(r => (r.checks ?? []).filter(c => !c.pass))
