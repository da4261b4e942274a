// One joint on the bench, through its custom service only (services/jointactuator.md,
// services/boardfault.md), over any jacdac-ts bus: the in-process simulator's, a TCP bridge's or a
// serial port's. Commands out; telemetry, fault events and capture read-outs in. Time comes from a
// BenchClock, so the same protocol code runs in virtual time against the simulator and in wall-clock
// time against a board. Enabling the joint gets the bench the joint's session token, which its drive
// commands carry (services/jointactuator.md, "One command source"): a joint another controller drives
// refuses the bench's enable, and the bench says so.
import { randomInt } from "node:crypto"
import { EVENT, Packet, REPORT_RECEIVE, jdpack, jdunpack, type JDService } from "jacdac-ts"
import { customService, enumName, enumValue, servicePacket } from "../../sim/services.ts"
import { telemetryFromReading, type JointTelemetry } from "../../sim/clients/joint-client.ts"

export interface BenchClock {
    nowMs(): number
    sleep(ms: number): Promise<void>
}

/** a telemetry report, timed by the bench clock */
export type Telemetry = Omit<JointTelemetry, "tUs"> & { tMs: number }

export interface BoardFault {
    tMs: number
    code: number
    name: string
    detail: number
}

export type Waveform = "none" | "step" | "sine"

export interface CaptureRequest {
    waveform: Waveform
    samples: number
    decimation?: number
    preSamples?: number
    offsetA?: number
    amplitudeA?: number
    frequencyHz?: number
}

/** one capture, each signal the mean over `decimation` loop periods */
export interface CaptureData {
    periodMeanUs: number
    decimation: number
    /** time of each sample from the capture's start, s */
    tS: number[]
    currentRefA: number[]
    currentA: number[]
    voltageV: number[]
    angleRad: number[]
    velocityRadS: number[]
    ntcC: number[]
    periodUs: number[]
}

const FIELDS = 7
const READING = 0x101
const REPLY_TIMEOUT_MS = 1000
/** a joint still measuring its current offset is asked again this often, for at most this long */
const CALIBRATING_RETRY_MS = 20
const CALIBRATING_WAIT_MS = 2000
const CALIBRATING = enumValue("jointactuator", "RefusalReason", "Calibrating")

export class BenchJointError extends Error {}

/** what a refused enable means at the bench, and what to do */
function enableRefusal(reason: string): string {
    if (reason === "SessionOpen") return "session_open: another controller holds it (disable it from there, or wait for its watchdog), or this bench's earlier enable was granted and its reply lost (disable, then enable)"
    if (reason === "FaultLatched") return "fault_latched: clear its fault first"
    if (reason === "Calibrating") return `calibrating: the joint was still measuring its current offset ${CALIBRATING_WAIT_MS / 1000} s later: its control loop takes no samples (its log may say why)`
    return reason
}

/** a request to the board, asked again when its reply is lost or late (a busy bus, a loaded host) */
export async function withRetries<T>(what: string, ask: () => Promise<T>, attempts = 3): Promise<T> {
    for (let i = 1; ; i++) {
        try {
            return await ask()
        } catch (e) {
            if (i >= attempts) throw new BenchJointError(`${what}: no answer after ${attempts} tries (${(e as Error).message})`)
        }
    }
}

export class BenchJoint {
    /** the session token the joint's enable reply gave, 0 when the bench holds none */
    token = 0
    telemetry: Telemetry | undefined
    readonly telemetryLog: Telemetry[] = []
    readonly faults: BoardFault[] = []
    /** each refusal the board reported: the command's code and why (RefusalReason) */
    readonly refusals: { command: number; reason: string }[] = []
    /** called with each telemetry report as it arrives (hfw watch) */
    onTelemetryReport?: (t: Telemetry) => void
    private readonly cmd: Record<string, { identifier: number; packFormat: string }> = {}

    constructor(
        readonly actuator: JDService,
        readonly faultService: JDService,
        readonly clock: BenchClock
    ) {
        for (const name of ["enable", "disable", "impedance", "current", "capture", "capture_read", "setpoint_refused"])
            this.cmd[name] = servicePacket("jointactuator", name)
        actuator.register(READING).on(REPORT_RECEIVE, (reg: { unpackedValue: number[] }) => this.onTelemetry(reg.unpackedValue))
        const refusedEv = actuator.event(this.cmd.setpoint_refused.identifier)
        refusedEv.on(EVENT, () => {
            const [command, reason] = refusedEv.unpackedValue as number[]
            this.refusals.push({ command, reason: enumName("jointactuator", "RefusalReason", reason) })
        })
        const ev = faultService.event(servicePacket("boardfault", "fault").identifier)
        ev.on(EVENT, () => {
            const [detail, code] = ev.unpackedValue as number[]
            this.faults.push({ tMs: clock.nowMs(), code, name: enumName("boardfault", "Code", code), detail })
        })
    }

    get refused() {
        return this.refusals.length
    }

    static find(services: JDService[], clock: BenchClock): BenchJoint | undefined {
        const act = services.find(s => s.serviceClass === customService("jointactuator").classIdentifier)
        const flt = act?.device.services({ serviceClass: customService("boardfault").classIdentifier })[0]
        return act && flt ? new BenchJoint(act, flt, clock) : undefined
    }

    /**
     * Arms the joint and takes its session token from the reply that echoes this request's number.
     * A lost reply is asked again after a disable (the joint may have granted it). Refused: an error
     * saying why and what to do.
     */
    async enable() {
        let calibratingMs = 0
        let lost = 0
        for (;;) {
            const request = randomInt(0, 0x10000)
            const reply = this.enableReply(request)
            await this.send("enable", [request])
            const r = await reply
            if (r && r.token !== 0) {
                this.token = r.token
                return
            }
            // just started: it measures its current offset first (about 200 ms)
            if (r && r.refusal === CALIBRATING && calibratingMs < CALIBRATING_WAIT_MS) {
                await this.clock.sleep(CALIBRATING_RETRY_MS)
                calibratingMs += CALIBRATING_RETRY_MS
                continue
            }
            if (r) throw new BenchJointError(`the joint refused enable: ${enableRefusal(enumName("jointactuator", "RefusalReason", r.refusal))}`)
            // no reply: lost on the bus, or late
            if (++lost >= 3) throw new BenchJointError(`enable: no answer after ${lost} tries of ${REPLY_TIMEOUT_MS} ms`)
            await this.disable()
        }
    }

    /** the reply to the enable with `request` (another controller's replies are heard too), undefined after REPLY_TIMEOUT_MS */
    private enableReply(request: number): Promise<{ token: number; refusal: number } | undefined> {
        const { identifier } = this.cmd.enable
        const format = servicePacket("jointactuator", "enable", "report").packFormat
        return new Promise(resolve => {
            let waiting = true
            const finish = (r: { token: number; refusal: number } | undefined) => {
                if (!waiting) return
                waiting = false
                this.actuator.off(REPORT_RECEIVE, onReport)
                resolve(r)
            }
            const onReport = (pkt: Packet) => {
                if (pkt.serviceCommand !== identifier || pkt.isEvent) return
                const [echoed, token, refusal] = jdunpack<[number, number, number]>(pkt.data, format)
                if (echoed === request) finish({ token, refusal })
            }
            this.actuator.on(REPORT_RECEIVE, onReport)
            void this.clock.sleep(REPLY_TIMEOUT_MS).then(() => finish(undefined))
        })
    }
    /** disables the joint, ending its session (from anyone: no token) */
    disable = () => {
        this.token = 0
        return this.send("disable")
    }
    current = (currentA: number) => this.send("current", [currentA, this.token])
    impedance = (posRad: number, velRadS: number, kpNmRad: number, kdNmsRad: number, ffNm: number) =>
        this.send("impedance", [posRad, velRadS, kpNmRad, kdNmsRad, ffNm, this.token])
    clearFault = () => this.faultService.sendCmdAsync(servicePacket("boardfault", "clear").identifier)

    /** waits for the next telemetry report (at most `timeoutMs`) */
    async nextTelemetry(timeoutMs = 500): Promise<Telemetry> {
        const n = this.telemetryLog.length
        const until = this.clock.nowMs() + timeoutMs
        while (this.telemetryLog.length === n) {
            if (this.clock.nowMs() >= until) throw new BenchJointError(`no telemetry from the joint for ${timeoutMs} ms`)
            await this.clock.sleep(5)
        }
        return this.telemetryLog[this.telemetryLog.length - 1]
    }

    /** arms a capture on the board (services/jointactuator.md `capture`) */
    async startCapture(r: CaptureRequest) {
        const waveform = { none: 0, step: 1, sine: 2 }[r.waveform]
        await this.send("capture", [r.offsetA ?? 0, r.amplitudeA ?? 0, r.frequencyHz ?? 0, r.samples, r.preSamples ?? 0, r.decimation ?? 1, waveform, 0, this.token])
    }

    /**
     * Waits for the capture to finish (polling its state every `pollMs`), calls `onFinished`, then reads
     * it out chunk by chunk (the board may send about 50 packets a second, half of them telemetry: 256
     * samples take about 1.5 s).
     */
    async readCapture(decimation: number, pollMs: number, onFinished: () => void = () => {}): Promise<CaptureData> {
        let [periodMeanUs, total, , state] = await this.readChunk(0)
        for (let polls = 0; state === 1; polls++) {
            if (polls * pollMs > 40_000) throw new BenchJointError("the capture did not finish")
            await this.clock.sleep(pollMs)
            ;[periodMeanUs, total, , state] = await this.readChunk(0)
        }
        onFinished()
        if (state !== 2) throw new BenchJointError(`the capture was ${state === 3 ? "aborted (a fault, a command or the joint disabled)" : "refused or never started"}`)
        const f: number[][] = Array.from({ length: FIELDS }, () => [])
        while (f[0].length < total) {
            const [, , first, , data] = await this.readChunk(f[0].length)
            if (first !== f[0].length) throw new BenchJointError(`capture read-out out of step (${first} for ${f[0].length})`)
            const dv = new DataView(data.buffer, data.byteOffset, data.byteLength)
            for (let at = 0; at + FIELDS * 4 <= data.byteLength; at += FIELDS * 4)
                for (let k = 0; k < FIELDS; k++) f[k].push(dv.getFloat32(at + 4 * k, true))
        }
        // each sample is the mean over its window of `decimation` periods: its time is the window's middle
        const periodS = periodMeanUs / 1e6
        return {
            periodMeanUs,
            decimation,
            tS: f[0].map((_, i) => (i * decimation + (decimation - 1) / 2) * periodS),
            currentRefA: f[0],
            currentA: f[1],
            voltageV: f[2],
            angleRad: f[3],
            velocityRadS: f[4],
            ntcC: f[5],
            periodUs: f[6],
        }
    }

    /** one capture_read round trip, asked again on a lost or late reply */
    private async readChunk(first: number): Promise<[number, number, number, number, Uint8Array]> {
        const { identifier, packFormat } = this.cmd.capture_read
        const report = servicePacket("jointactuator", "capture_read", "report")
        const resp = await withRetries("reading the capture out", () =>
            this.actuator.sendCmdAwaitResponseAsync(Packet.from(identifier, jdpack(packFormat, [first])), REPLY_TIMEOUT_MS)
        )
        return jdunpack<[number, number, number, number, Uint8Array]>(resp.data, report.packFormat)
    }

    private async send(name: string, values?: number[]) {
        const { identifier, packFormat } = this.cmd[name]
        await this.actuator.sendPacketAsync(Packet.from(identifier, values ? jdpack(packFormat, values) : new Uint8Array(0)))
    }

    private onTelemetry(v: number[]) {
        const t: Telemetry = { tMs: this.clock.nowMs(), ...telemetryFromReading(v) }
        this.telemetry = t
        this.telemetryLog.push(t)
        this.onTelemetryReport?.(t)
    }
}
