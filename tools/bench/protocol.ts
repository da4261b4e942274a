// What every bench protocol shares: its result shape (and a whole bench run's: BenchRun), checks
// against the joint's settings, and the safety rules. A protocol arms the joint explicitly, keeps its
// watchdog fed, stays inside its limits and leaves it disabled at the end, also when interrupted or
// when the board reports a fault.
import type { ParamSpecs, ParamValues } from "../../sim/params.ts"
import type { Plot } from "../../sim/report/page.ts"
import type { BenchJoint, CaptureData, CaptureRequest } from "./bench-joint.ts"
import type { BenchSession, BoardIdentity, Rig } from "./targets.ts"

export interface Check {
    name: string
    value: number
    unit: string
    /** what passes, in words: "<= 4", "within 10 % of 0.12" */
    limit: string
    pass: boolean
}

export interface ProtocolResult {
    protocol: string
    rig: Rig
    metrics: Record<string, unknown>
    checks: Check[]
    plots: Plot[]
    /** the raw captures, by name, for the trace and for `hfw bench fit` */
    captures: Record<string, CaptureData[]>
}

export interface Protocol {
    name: string
    doc: string
    params: ParamSpecs
    rig(params: ParamValues, settings: Record<string, number>): Rig
    run(bench: Bench): Promise<ProtocolResult>
}

export type { Plot }

export class BenchInterrupted extends Error {}
export class BenchFaulted extends Error {}

/** period between commands that keep the watchdog fed (it is 100 ms by default) */
export const FEED_MS = 20
/** how often the bench asks whether a board-driven excitation has ended (then the watchdog runs) */
const GENERATOR_POLL_MS = 10

/** A protocol's handle on the joint: sleeps that notice interruption and faults, and captures. */
export class Bench {
    readonly joint: BenchJoint
    private readonly faultsAtStart: number

    constructor(
        readonly session: BenchSession,
        readonly params: ParamValues,
        readonly signal: AbortSignal,
        readonly log: (line: string) => void
    ) {
        this.joint = session.joint
        this.faultsAtStart = session.joint.faults.length
    }

    get settings() {
        return this.session.identity.settings
    }

    num(name: string): number {
        return this.params[name] as number
    }

    setting(key: string): number {
        const v = this.settings[key]
        if (!Number.isFinite(v)) throw new Error(`the board has no valid setting '${key}': provision it first (hfw deploy)`)
        return v
    }

    nowMs = () => this.session.clock.nowMs()

    /** throws when interrupted or when the board reported a fault since the protocol began */
    check() {
        if (this.signal.aborted) throw new BenchInterrupted("interrupted")
        const f = this.joint.faults[this.faultsAtStart]
        if (f) throw new BenchFaulted(`the board reported fault ${f.name} (detail ${f.detail}) at ${(f.tMs / 1000).toFixed(2)} s`)
    }

    async sleep(ms: number) {
        await this.session.clock.sleep(ms)
        this.check()
    }

    /** `ms` of `feed` every FEED_MS (a setpoint command, which feeds the watchdog) */
    async hold(ms: number, feed: (elapsedMs: number) => Promise<void>) {
        const start = this.nowMs()
        for (let t = 0; t < ms; t = this.nowMs() - start) {
            await feed(t)
            await this.sleep(Math.min(FEED_MS, ms - t))
        }
    }

    /**
     * Arms the joint, runs `body`, and disables the joint whatever happens. Waits for the board's
     * start-up current-offset calibration first.
     */
    async armed<T>(body: () => Promise<T>): Promise<T> {
        try {
            await this.joint.nextTelemetry(1000)
            await this.joint.enable()
            await this.sleep(FEED_MS)
            return await body()
        } finally {
            await this.joint.disable()
        }
    }

    /**
     * One capture: arms it, keeps `feed` going while the board records and while it is read out. A
     * board-driven excitation feeds the watchdog itself and any command would stop it: then feeding
     * starts once the board says the capture is over (it holds its offset from then on, with the
     * watchdog running). The board's word, not the bench's clock: a board that runs behind the bench
     * (a link's latency, a stalled host pausing a served board) would have its excitation stopped by a
     * feed sent when it was due to end by the bench's clock (seen over TCP on a loaded 2-core machine).
     */
    async capture(req: CaptureRequest, feed: () => Promise<void>): Promise<CaptureData> {
        const refused = this.joint.refused
        await this.joint.startCapture(req)
        const periodMs = 1000 / this.setting("loopHz")
        const durationMs = req.samples * (req.decimation ?? 1) * periodMs
        const generated = req.waveform !== "none"
        if (generated) await this.sleep(durationMs)
        else await this.hold(durationMs, feed)
        // replies wait on the board's send budget: the feeding must not wait on them
        let reading = true
        let feeder: Promise<void> | undefined
        const startFeeding = () => {
            feeder = (async () => {
                while (reading) {
                    await feed()
                    await this.session.clock.sleep(FEED_MS)
                }
            })()
        }
        if (!generated) startFeeding()
        let data: CaptureData
        try {
            data = await this.joint.readCapture(req.decimation ?? 1, generated ? GENERATOR_POLL_MS : FEED_MS, generated ? startFeeding : undefined)
        } finally {
            reading = false
            await feeder
        }
        this.check()
        const r = this.joint.refusals.at(-1)
        if (this.joint.refused > refused && r)
            throw new Error(`the joint refused command 0x${r.command.toString(16)} (${r.reason}) during a capture (${JSON.stringify(req)})`)
        return data
    }
}

/** a check that `value` is within `pct` % of `expected` */
export function within(name: string, value: number, unit: string, expected: number, pct: number): Check {
    return { name, value, unit, limit: `within ${pct} % of ${round(expected)}`, pass: Math.abs(value - expected) <= (Math.abs(expected) * pct) / 100 }
}

export function atMost(name: string, value: number, unit: string, limit: number): Check {
    return { name, value, unit, limit: `<= ${limit}`, pass: value <= limit }
}

export function atLeast(name: string, value: number, unit: string, limit: number): Check {
    return { name, value, unit, limit: `>= ${limit}`, pass: value >= limit }
}

export const round = (x: number, digits = 4) => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x)

/** the output torque per amp from the settings (motor Kt through the gearbox) */
export const settingsOutputNmPerA = (s: Record<string, number>) => s.ktNmPerA * s.gearRatio * s.gearEff

export interface ProtocolOutcome extends Partial<ProtocolResult> {
    protocol: string
    /** passed: every check passed; failed: a check failed; error: it could not finish */
    status: "passed" | "failed" | "error"
    error?: string
    /** the board's fault that stopped it, if one did */
    fault?: string
    /** the joint's mode after the protocol (0: disabled) */
    finalMode?: number
}

export interface BenchRun {
    protocol: string
    target: string
    jointId: string
    /** the settings file the run was checked against, when not the joint's default */
    settingsFile?: string
    identity?: BoardIdentity
    params: ParamValues
    /** the simulated plant's true parameters (`--target sim` only) */
    plant?: Record<string, number>
    results: ProtocolOutcome[]
    passed: boolean
    wallSeconds: number
    outputs?: string[]
}
