// The body controller's view of one joint board, through jacdac-ts clients of the joint's custom
// services on the body bus: commands out, telemetry reports and fault events in. It holds the session
// token the joint's enable reply handed it and sends it with every drive command
// (services/jointactuator.md, "One command source").
import { createHash } from "node:crypto"
import { ANNOUNCE, CMD_GET_REG, PACKET_PROCESS, REPORT_RECEIVE, RESTART, type JDBus, type JDDevice, type JDService, type Packet } from "jacdac-ts"
import type { TimerHandle, VirtualClock } from "../clock.ts"
import { customService, enumName, enumValue, servicePacket } from "../services.ts"
import { FixedPacker } from "../pack-format.ts"

const CMD = { enable: 0x80, disable: 0x81, impedance: 0x82, current: 0x83 }
const FAULT_CMD_CLEAR = 0x80
const FAULT_EVENT = 0x81
const REFUSED_EVENT = 0x84
const READING = 0x101
/** a joint that refuses enable while it measures its current offset is asked again this much later */
const ENABLE_RETRY_US = 20_000
const CALIBRATING = enumValue("jointactuator", "RefusalReason", "Calibrating")
const ACTUATOR_CLASS = customService("jointactuator").classIdentifier
const FAULT_CLASS = customService("boardfault").classIdentifier
const TELEMETRY_FORMAT = servicePacket("jointactuator", "telemetry").packFormat
/** the telemetry and the commands with a payload, read and packed without parsing their formats each time */
const TELEMETRY = new FixedPacker(TELEMETRY_FORMAT, "services/jointactuator.md telemetry")
const commandPacker = (name: string) => new FixedPacker(servicePacket("jointactuator", name, "command").packFormat, `services/jointactuator.md ${name}`)
const ENABLE_CMD = commandPacker("enable")
const CURRENT_CMD = commandPacker("current")
const IMPEDANCE_CMD = commandPacker("impedance")
const FAULT_EVENT_FORMAT = servicePacket("boardfault", "fault", "event").packFormat
const FAULT_CODE_FORMAT = servicePacket("boardfault", "code", "ro").packFormat
const ENABLE_REPLY_FORMAT = servicePacket("jointactuator", "enable", "report").packFormat
const REFUSED_EVENT_FORMAT = servicePacket("jointactuator", "setpoint_refused").packFormat

export interface JointTelemetry {
    tUs: number
    currentA: number
    currentRefA: number
    angleRad: number
    velocityRadS: number
    torqueNm: number
    windingC: number
    fault: number
    loopPeriodMeanUs: number
    loopPeriodP99DevUs: number
    overruns: number
    /** one of JOINT_MODE */
    mode: number
}

/** the joint's modes (services/jointactuator.md, Mode), as its telemetry and registers report them */
export const JOINT_MODE = {
    disabled: enumValue("jointactuator", "Mode", "Disabled"),
    current: enumValue("jointactuator", "Mode", "Current"),
    impedance: enumValue("jointactuator", "Mode", "Impedance"),
    damping: enumValue("jointactuator", "Mode", "Damping"),
}

export interface FaultEvent {
    tUs: number
    code: number
    name: string
    detail: number
}

/** a setpoint_refused event: the command's code and the reason's name (RefusalReason) */
export interface RefusalEvent {
    tUs: number
    command: number
    reason: string
}

/** an enable reply heard on the bus, this client's or another controller's */
export interface EnableReply {
    tUs: number
    request: number
    token: number
    refusal: string
}

export class JointClient {
    telemetry: JointTelemetry | undefined
    /** every telemetry report, unless `keepHistory` is off */
    readonly telemetryLog: JointTelemetry[] = []
    /**
     * Keep every report (and the board's drive times, JointBoard.driveTimesUs) for the joint
     * scenarios' figures: off in a run of an hour that reads neither (robot-walk), so memory stays flat.
     */
    keepHistory = true
    readonly faults: FaultEvent[] = []
    /** the joint's setpoint_refused events (at most one per 500 ms: the board's rate limit) */
    readonly refusals: RefusalEvent[] = []
    /** the session token the joint granted this client, 0 when it holds none */
    token = 0
    /** when the enable's reply brought `token` */
    tokenSinceUs = -1
    /** why the joint refused this client's last enable (undefined: not refused) */
    enableRefusal: string | undefined
    /** the enable asked again while the joint calibrates (enable) */
    private enableRetry: TimerHandle | undefined
    /** called with every enable reply of the joint heard on the bus, whoever asked (after this client took its own) */
    readonly enableReplyHooks: ((r: EnableReply) => void)[] = []
    /** called when jacdac-ts sees the board restarted (its announce's restart counter went back) */
    readonly restartHooks: ((tUs: number) => void)[] = []
    /** called with every telemetry report */
    readonly telemetryHooks: ((t: JointTelemetry) => void)[] = []
    /** called with every fault event, as it arrives */
    readonly faultHooks: ((f: FaultEvent) => void)[] = []
    private actuator: JDService | undefined
    private faultService: JDService | undefined
    /** the request number of this client's next enable, and of the one awaiting its reply */
    private nextRequest: number
    private pendingRequest: number | undefined

    /**
     * `controller` names the controller this client is (two controllers of one joint on one bus pick
     * different enable request numbers from it: they take only the replies to their own enables)
     */
    constructor(
        private bus: JDBus,
        private clock: VirtualClock,
        readonly serverDeviceId: string,
        readonly controller = "body"
    ) {
        this.nextRequest = createHash("sha256").update(`${controller}/${serverDeviceId}`).digest().readUInt16LE(0)
        // what the board sends, read off the bus rather than through its jacdac-ts service objects:
        // those are made anew when jacdac-ts sees the device again (a flood of garbage, say), and a
        // listener on the old ones hears nothing more
        bus.on(PACKET_PROCESS, (pkt: Packet) => this.onPacket(pkt))
    }

    /** the joint's refusals so far (setpoint_refused events) */
    get refused() {
        return this.refusals.length
    }

    get connected() {
        return !!this.actuator
    }

    /** Looks for the board's services (it announces them every 500 ms); true once found. */
    tryConnect(): boolean {
        if (this.actuator) return true
        const dev = this.bus.device(this.serverDeviceId, true)
        if (!dev || !this.bind(dev)) return false
        // (a restart ends the session, but jacdac-ts sees it only in the board's next announce, up to
        // 500 ms late and often after the controller has re-armed it: the token is dropped with the
        // restarted board's fault event instead)
        dev.on(RESTART, () => {
            for (const h of this.restartHooks) h(this.clock.nowUs)
        })
        // a restarted board's services are new objects in jacdac-ts (its announce after the restart):
        // commands go to the current ones
        dev.on(ANNOUNCE, () => this.bind(dev))
        // a fault latched at boot (an invalid setting, say) was announced before the board's services
        // were seen: ask for the latched code once
        void this.faultService!.sendCmdAsync(CMD_GET_REG | READING)
        return true
    }

    /** takes the device's current services; true when it has both */
    private bind(dev: JDDevice): boolean {
        const act = dev.services({ serviceClass: ACTUATOR_CLASS })[0]
        const flt = dev.services({ serviceClass: FAULT_CLASS })[0]
        if (!act || !flt) return false
        if (act === this.actuator) return true
        this.actuator = act
        this.faultService = flt
        // (a listener on the register keeps jacdac-ts asking the board for it now and then, as it does
        // for a reading with listeners where its bus polls: a joint whose settings are refused runs no
        // telemetry timer and is heard through these answers; the reports themselves are read in
        // onPacket. The robot's leg buses do not poll: sim/scenarios/robot-walk.ts)
        act.register(READING).on(REPORT_RECEIVE, () => {})
        return true
    }

    private onPacket(pkt: Packet) {
        // (pkt.device's id: jacdac-ts computes pkt.deviceIdentifier anew at each read, for every packet on the bus)
        if (!this.actuator || !pkt.isReport || pkt.device?.deviceId !== this.serverDeviceId) return
        if (pkt.serviceClass === ACTUATOR_CLASS) {
            if (pkt.isRegisterGet && pkt.registerIdentifier === READING) this.onTelemetry(TELEMETRY.readHead(pkt.data) ?? pkt.jdunpack<number[]>(TELEMETRY_FORMAT))
            else if (pkt.isEvent && !pkt.isRepeatedEvent && pkt.eventCode === REFUSED_EVENT) {
                const [command, reason] = pkt.jdunpack<[number, number]>(REFUSED_EVENT_FORMAT)
                this.refusals.push({ tUs: this.clock.nowUs, command, reason: enumName("jointactuator", "RefusalReason", reason) })
            } else if (!pkt.isEvent && pkt.serviceCommand === CMD.enable) this.onEnableReply(pkt.jdunpack<[number, number, number]>(ENABLE_REPLY_FORMAT))
        } else if (pkt.serviceClass === FAULT_CLASS && pkt.isEvent && !pkt.isRepeatedEvent && pkt.eventCode === FAULT_EVENT) {
            const [detail, code] = pkt.jdunpack<[number, number]>(FAULT_EVENT_FORMAT)
            const f = { tUs: this.clock.nowUs, code, name: enumName("boardfault", "Code", code), detail }
            this.token = 0 // a fault ends the session
            this.faults.push(f)
            for (const h of this.faultHooks) h(f)
        } else if (pkt.serviceClass === FAULT_CLASS && pkt.isRegisterGet && pkt.registerIdentifier === READING && !this.faults.length) {
            // the answer to the question asked on connecting (the detail is a register of its own)
            const [code] = pkt.jdunpack<[number]>(FAULT_CODE_FORMAT)
            if (code !== 0) this.faults.push({ tUs: this.clock.nowUs, code, name: enumName("boardfault", "Code", code), detail: NaN })
        }
    }

    /**
     * asks for a session: the token comes with the reply (`token`), or the refusal (`enableRefusal`).
     * A joint still measuring its current offset (refusal `Calibrating`) is asked again every
     * ENABLE_RETRY_US until it grants or refuses for another reason.
     */
    enable = () => {
        this.clock.cancel(this.enableRetry)
        this.pendingRequest = this.nextRequest
        this.nextRequest = (this.nextRequest + 1) & 0xffff
        this.command(CMD.enable, ENABLE_CMD.pack([this.pendingRequest]))
    }
    /** disables the joint (from anyone: no token), ending its session */
    disable = () => {
        this.clock.cancel(this.enableRetry)
        this.token = 0
        this.command(CMD.disable)
    }
    current = (currentA: number) => this.command(CMD.current, CURRENT_CMD.pack([currentA, this.token]))
    impedance = (posRad: number, velRadS: number, kpNmRad: number, kdNmsRad: number, ffNm: number) =>
        this.command(CMD.impedance, IMPEDANCE_CMD.pack([posRad, velRadS, kpNmRad, kdNmsRad, ffNm, this.token]))
    clearFault = () => {
        if (!this.faultService) throw new Error(`joint ${this.serverDeviceId} is not connected`)
        void this.faultService.sendCmdAsync(FAULT_CMD_CLEAR)
    }

    /** sends any command with any payload (robustness tests) */
    sendRaw(code: number, data: Uint8Array) {
        this.command(code, data)
    }

    private command(code: number, payload?: Uint8Array) {
        if (!this.actuator) throw new Error(`joint ${this.serverDeviceId} is not connected`)
        void this.actuator.sendCmdAsync(code, payload)
    }

    private onEnableReply([request, token, refusal]: [number, number, number]) {
        const reply = { tUs: this.clock.nowUs, request, token, refusal: enumName("jointactuator", "RefusalReason", refusal) }
        // (only the reply to this client's own enable: another controller's is heard too)
        if (request === this.pendingRequest) {
            this.pendingRequest = undefined
            if (token !== 0) {
                this.token = token
                this.tokenSinceUs = reply.tUs
                this.enableRefusal = undefined
            } else {
                this.enableRefusal = reply.refusal
                // (an enable or a disable before then cancels it)
                if (refusal === CALIBRATING) this.enableRetry = this.clock.after(ENABLE_RETRY_US, this.enable)
            }
        }
        for (const h of this.enableReplyHooks) h(reply)
    }

    private onTelemetry(v: number[]) {
        const t: JointTelemetry = { tUs: this.clock.nowUs, ...telemetryFromReading(v) }
        this.telemetry = t
        if (this.keepHistory) this.telemetryLog.push(t)
        for (const h of this.telemetryHooks) h(t)
    }
}

/** the joint actuator service's telemetry report (services/jointactuator.md), by field */
export function telemetryFromReading(v: number[]): Omit<JointTelemetry, "tUs"> {
    return {
        currentA: v[0],
        currentRefA: v[1],
        angleRad: v[2],
        velocityRadS: v[3],
        torqueNm: v[4],
        windingC: v[5],
        fault: v[6],
        loopPeriodMeanUs: v[7],
        loopPeriodP99DevUs: v[8],
        overruns: v[9],
        mode: v[10],
    }
}
