// The body controller's view of one joint board, through jacdac-ts clients of the joint's custom
// services on the body bus: commands out, telemetry reports and fault events in.
import { ANNOUNCE, EVENT, REPORT_RECEIVE, RESTART, type JDBus, type JDDevice, type JDService } from "jacdac-ts"
import type { VirtualClock } from "../clock.ts"
import { customService, enumName } from "../services.ts"

const CMD = { enable: 0x80, disable: 0x81, impedance: 0x82, current: 0x83 }
const FAULT_CMD_CLEAR = 0x80
const FAULT_EVENT = 0x81
const REFUSED_EVENT = 0x84
const READING = 0x101

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
    mode: number
}

export interface FaultEvent {
    tUs: number
    code: number
    name: string
    detail: number
}

export class JointClient {
    telemetry: JointTelemetry | undefined
    readonly telemetryLog: JointTelemetry[] = []
    readonly faults: FaultEvent[] = []
    refused = 0
    /** called when jacdac-ts sees the board restarted (its announce's restart counter went back) */
    readonly restartHooks: ((tUs: number) => void)[] = []
    /** called with every telemetry report */
    readonly telemetryHooks: ((t: JointTelemetry) => void)[] = []
    /** called with every fault event, as it arrives */
    readonly faultHooks: ((f: FaultEvent) => void)[] = []
    private actuator: JDService | undefined
    private faultService: JDService | undefined

    constructor(
        private bus: JDBus,
        private clock: VirtualClock,
        readonly serverDeviceId: string
    ) {}

    get connected() {
        return !!this.actuator
    }

    /** Looks for the board's services (it announces them every 500 ms); true once found. */
    tryConnect(): boolean {
        if (this.actuator) return true
        const dev = this.bus.device(this.serverDeviceId, true)
        if (!dev || !this.bind(dev)) return false
        // a restarted board's services are new objects in jacdac-ts (its announce after the restart)
        dev.on(RESTART, () => {
            for (const h of this.restartHooks) h(this.clock.nowUs)
        })
        dev.on(ANNOUNCE, () => this.bind(dev))
        return true
    }

    /** listens to the device's current services; true when it has both */
    private bind(dev: JDDevice): boolean {
        const act = dev.services({ serviceClass: customService("jointactuator").classIdentifier })[0]
        const flt = dev.services({ serviceClass: customService("boardfault").classIdentifier })[0]
        if (!act || !flt) return false
        if (act === this.actuator && flt === this.faultService) return true
        this.actuator = act
        this.faultService = flt
        act.register(READING).on(REPORT_RECEIVE, (reg: { unpackedValue: number[] }) => this.onTelemetry(reg.unpackedValue))
        act.event(REFUSED_EVENT).on(EVENT, () => this.refused++)
        const ev = flt.event(FAULT_EVENT)
        ev.on(EVENT, () => {
            const [detail, code] = ev.unpackedValue as number[]
            const f = { tUs: this.clock.nowUs, code, name: enumName("boardfault", "Code", code), detail }
            this.faults.push(f)
            for (const h of this.faultHooks) h(f)
        })
        return true
    }

    enable = () => this.command(CMD.enable)
    disable = () => this.command(CMD.disable)
    current = (currentA: number) => this.command(CMD.current, [currentA])
    impedance = (posRad: number, velRadS: number, kpNmRad: number, kdNmsRad: number, ffNm: number) =>
        this.command(CMD.impedance, [posRad, velRadS, kpNmRad, kdNmsRad, ffNm])
    clearFault = () => {
        if (!this.faultService) throw new Error(`joint ${this.serverDeviceId} is not connected`)
        void this.faultService.sendCmdAsync(FAULT_CMD_CLEAR)
    }

    /** sends any command with any payload (robustness tests) */
    sendRaw(code: number, data: Uint8Array) {
        if (!this.actuator) throw new Error(`joint ${this.serverDeviceId} is not connected`)
        void this.actuator.sendCmdAsync(code, data)
    }

    private command(code: number, values?: number[]) {
        if (!this.actuator) throw new Error(`joint ${this.serverDeviceId} is not connected`)
        void (values ? this.actuator.sendCmdPackedAsync(code, values) : this.actuator.sendCmdAsync(code))
    }

    private onTelemetry(v: number[]) {
        const t: JointTelemetry = { tUs: this.clock.nowUs, ...telemetryFromReading(v) }
        this.telemetry = t
        this.telemetryLog.push(t)
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
