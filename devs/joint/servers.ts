// The joint's Jacdac servers for the body controller: the joint actuator service and the board
// fault service (services/*.md). Thin: they pass commands to the controller and report its state.
import * as ds from "@devicescript/core"
import { Server } from "@devicescript/server"
import type { JointController } from "./controller"
import type { Capture } from "./capture"
import { routeServerPackets } from "../lib/server-packets"
import { BoundedEvents } from "../lib/bounded-events"

// the packets' specs, looked up by name once (a lookup is a string search in the VM)
const READING_SPEC = ds.JointActuator.spec.lookup("reading")
const REFUSED_SPEC = ds.JointActuator.spec.lookup("setpointRefused")
const IMPEDANCE_CODE = ds.JointActuator.spec.lookup("impedance").code
const CURRENT_CODE = ds.JointActuator.spec.lookup("current").code
const FAULT_SPEC = ds.BoardFault.spec.lookup("fault")

/** refused-command events are sent at most this often: every packet costs send budget */
const REFUSED_EVENT_MIN_MS = 500

export class JointActuatorServer extends Server implements ds.JointActuatorServerSpec {
    private lastRefusedMs = -REFUSED_EVENT_MIN_MS
    private events = new BoundedEvents(this)

    constructor(
        private ctl: JointController,
        private cap: Capture,
        private id: string
    ) {
        super(ds.JointActuator.spec)
    }

    mode() {
        return this.ctl.mode
    }
    jointId() {
        return this.id
    }
    reading(): [number, number, number, number, number, number, number, number, number, number, ds.JointActuatorMode] {
        const c = this.ctl
        const t = c.timing
        return [
            c.currentA,
            c.currentRefA,
            c.angleRad,
            c.velocityRadS,
            c.outputTorqueNm(),
            c.tempC,
            c.fault.code,
            Math.min(65535, Math.round(t.meanPeriodUs)),
            Math.min(65535, Math.round(t.p99DeviationUs)),
            Math.min(65535, t.totalOverruns),
            c.mode,
        ]
    }
    async enable() {
        this.stopGenerator()
        if (!this.ctl.enable()) await this.refused(ds.JointActuatorCodes.CmdEnable)
    }
    disable() {
        this.stopGenerator()
        this.ctl.disable()
    }
    async impedance(position: number, velocity: number, kp: number, kd: number, ff: number) {
        // @devicescript/server calls a command's handler with the decoded fields as one array
        const f = position as any as number[]
        await this.impedanceSetpoint(Array.isArray(f) ? f : [position, velocity, kp, kd, ff])
    }
    /** the impedance command's fields, decoded: position, velocity, kp, kd, torque feedforward */
    async impedanceSetpoint(f: number[]) {
        if (this.cap.generating()) this.cap.abort()
        if (!this.ctl.impedance(f[0], f[1], f[2], f[3], f[4])) await this.refused(ds.JointActuatorCodes.CmdImpedance)
    }
    async current(currentA: number) {
        this.stopGenerator()
        if (!this.ctl.current(currentA)) await this.refused(ds.JointActuatorCodes.CmdCurrent)
    }
    async capture(offset: number, amplitude: number, frequency: number, samples: number, preSamples: number, decimation: number, waveform: number) {
        const f = offset as any as number[]
        this.stopGenerator()
        const req = { offsetA: f[0], amplitudeA: f[1], frequencyHz: f[2], samples: f[3], preSamples: f[4], decimation: f[5], waveform: f[6] }
        const generated = req.waveform !== ds.JointActuatorWaveform.None
        const armed = this.ctl.mode !== ds.JointActuatorMode.Disabled && !this.ctl.fault.isActive()
        if ((generated && !armed) || !this.cap.start(req, this.ctl.timing.nominalPeriodUs))
            await this.refused(ds.JointActuatorCodes.CmdCapture)
    }
    captureRead(first: number): [number, number, number, ds.JointActuatorCaptureState, Buffer] {
        const c = this.cap
        return [c.periodMeanUs(), c.stored, Math.min(first, c.stored), c.state, c.chunk(first)]
    }

    /** pushes the telemetry report (the body controller does not need to ask) */
    async sendTelemetry() {
        await this._send(READING_SPEC.encode(this.reading()))
    }

    /** a command from the host takes over from a board-driven excitation */
    private stopGenerator() {
        if (this.cap.generating()) this.cap.abort()
    }

    private async refused(command: number) {
        const now = ds.millis()
        if (now - this.lastRefusedMs < REFUSED_EVENT_MIN_MS) return
        this.lastRefusedMs = now
        this.events.raise(REFUSED_SPEC.encode(command))
    }
}

export class BoardFaultServer extends Server implements ds.BoardFaultServerSpec {
    private events = new BoundedEvents(this)

    constructor(private ctl: JointController) {
        super(ds.BoardFault.spec)
    }
    reading() {
        return this.ctl.fault.code
    }
    detail() {
        return this.ctl.fault.detail
    }
    clear() {
        this.ctl.clearFault()
    }
    /** the fault event, once per latched fault (dropped while the last one is still being sent) */
    async announceFault() {
        this.events.raise(FAULT_SPEC.encode([this.ctl.fault.detail, this.ctl.fault.code]))
    }
}

/**
 * Routes the board's incoming commands (devs/lib/server-packets.ts). The impedance and current
 * setpoints, sent every period, go straight to the actuator server: the server library's
 * dispatch finds a command's handler by name and checks the packet's kind several ways, and on the
 * stock runtime that was most of the setpoint's cost (measured in robot-walk). Every other command
 * takes the library's path. Call after startServer.
 */
export function routeCommands(actuator: JointActuatorServer, faults: BoardFaultServer) {
    routeServerPackets(
        [actuator, faults],
        [
            {
                serviceIndex: actuator.serviceIndex,
                code: IMPEDANCE_CODE,
                handle: async (pkt: ds.Packet) => {
                    actuator.spec.assign(pkt)
                    await actuator.impedanceSetpoint(pkt.decode())
                },
            },
            // the bench's and joint-step's setpoint, at the loop's rate too
            {
                serviceIndex: actuator.serviceIndex,
                code: CURRENT_CODE,
                handle: async (pkt: ds.Packet) => {
                    actuator.spec.assign(pkt)
                    await actuator.current(pkt.decode())
                },
            },
        ]
    )
}
