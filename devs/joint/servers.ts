// The joint's Jacdac servers for the body controller: the joint actuator service and the board
// fault service (services/*.md). Thin: they pass commands to the controller and report its state.
// The controller keeps the session (services/jointactuator.md, "One command source"): these hand it
// each drive command's token, and report its refusals.
import * as ds from "@devicescript/core"
import { Server } from "@devicescript/server"
import { JointController } from "./controller"
import type { Capture } from "./capture"
import { routeServerPackets } from "../lib/server-packets"
import { BoundedEvents } from "../lib/bounded-events"
import { millis } from "../lib/runtime"

// the packets' specs, looked up by name once (a lookup is a string search in the VM)
const READING_SPEC = ds.JointActuator.spec.lookup("reading")
const REFUSED_SPEC = ds.JointActuator.spec.lookup("setpointRefused")
const IMPEDANCE_CODE = ds.JointActuator.spec.lookup("impedance").code
const CURRENT_CODE = ds.JointActuator.spec.lookup("current").code
const FAULT_SPEC = ds.BoardFault.spec.lookup("fault")
/** the impedance command's payload: five f32, then the session token (u16) */
const IMPEDANCE_TOKEN_AT = 20
/** the current command's payload: one f32, then the session token (u16) */
const CURRENT_TOKEN_AT = 4
const TOKEN_BYTES = 2

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
            JointController.outputTorqueNm(c),
            c.tempC,
            c.fault.code,
            Math.min(65535, Math.round(t.meanPeriodUs)),
            Math.min(65535, Math.round(t.p99DeviationUs)),
            Math.min(65535, t.totalOverruns),
            c.mode,
        ]
    }
    /** opens a session; the reply: the request echoed, the token (0 when refused) and why it was refused */
    async enable(request: number): Promise<[number, number, ds.JointActuatorRefusalReason]> {
        const refusal = this.ctl.enable()
        if (refusal) await this.refused(ds.JointActuatorCodes.CmdEnable, refusal)
        return [request, refusal ? 0 : this.ctl.token, refusal]
    }
    disable() {
        this.stopGenerator()
        this.ctl.disable()
    }
    // (the impedance and current commands come through routeCommands' direct routes, which read their
    // payloads in place: these are the server library's way in, kept for its interface)
    async impedance(position: number, velocity: number, kp: number, kd: number, ff: number, token: number) {
        // @devicescript/server calls a command's handler with the decoded fields as one array
        const f = position as any as number[]
        const refusal = JointController.impedance(this.ctl, f[5], f[0], f[1], f[2], f[3], f[4], millis() * 1000)
        await this.obeyed(ds.JointActuatorCodes.CmdImpedance, refusal)
    }
    async current(currentA: number, token: number) {
        const f = currentA as any as number[]
        await this.obeyed(ds.JointActuatorCodes.CmdCurrent, JointController.current(this.ctl, f[1], f[0]))
    }
    /**
     * An impedance setpoint read in place: five f32 from `at` in `data` (the command's payload, or the
     * joint's slot of its leg's frame), with its session token.
     */
    async impedanceAt(data: Buffer, at: number, token: number) {
        const refusal = JointController.impedance(
            this.ctl,
            token,
            data.getAt(at, "f32"),
            data.getAt(at + 4, "f32"),
            data.getAt(at + 8, "f32"),
            data.getAt(at + 12, "f32"),
            data.getAt(at + 16, "f32"),
            millis() * 1000
        )
        // (obeyed, written out, with the capture's state read before its call: this runs on every
        // setpoint, and a call costs the VM an activation record)
        if (refusal) await this.refused(ds.JointActuatorCodes.CmdImpedance, refusal)
        else if (this.cap.state === ds.JointActuatorCaptureState.Running && this.cap.generating()) this.cap.abort()
    }
    /** the impedance command's payload (a payload too short to hold the token has none) */
    async impedanceCommand(data: Buffer) {
        if (data.length < IMPEDANCE_TOKEN_AT + TOKEN_BYTES) await this.obeyed(ds.JointActuatorCodes.CmdImpedance, this.ctl.sessionRefusal(0))
        else await this.impedanceAt(data, 0, data.getAt(IMPEDANCE_TOKEN_AT, "u16"))
    }
    /** the current command's payload */
    async currentCommand(data: Buffer) {
        const refusal =
            data.length < CURRENT_TOKEN_AT + TOKEN_BYTES
                ? this.ctl.sessionRefusal(0)
                : JointController.current(this.ctl, data.getAt(CURRENT_TOKEN_AT, "u16"), data.getAt(0, "f32"))
        await this.obeyed(ds.JointActuatorCodes.CmdCurrent, refusal)
    }
    async capture(offset: number, amplitude: number, frequency: number, samples: number, preSamples: number, decimation: number, waveform: number, reserved: number, token: number) {
        const f = offset as any as number[]
        const req = { offsetA: f[0], amplitudeA: f[1], frequencyHz: f[2], samples: f[3], preSamples: f[4], decimation: f[5], waveform: f[6] }
        // a capture that drives the joint, or any capture of an armed joint (it would stop the
        // session's own capture), needs the session's token
        const generated = req.waveform !== ds.JointActuatorWaveform.None
        const armed = this.ctl.mode !== ds.JointActuatorMode.Disabled && !this.ctl.fault.isActive()
        const refusal = generated || armed ? this.ctl.sessionRefusal(f[8]) : 0
        if (refusal) {
            await this.refused(ds.JointActuatorCodes.CmdCapture, refusal)
            return
        }
        this.stopGenerator()
        if (!this.cap.start(req, this.ctl.timing.nominalPeriodUs))
            await this.refused(ds.JointActuatorCodes.CmdCapture, ds.JointActuatorRefusalReason.BadCapture)
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

    /** a drive command was obeyed (refusal 0: it takes over from a board-driven excitation) or refused */
    private async obeyed(command: number, refusal: number) {
        if (refusal) await this.refused(command, refusal)
        else if (this.cap.generating()) this.cap.abort()
    }

    private async refused(command: number, reason: number) {
        const now = millis()
        if (now - this.lastRefusedMs < REFUSED_EVENT_MIN_MS) return
        this.lastRefusedMs = now
        this.events.raise(REFUSED_SPEC.encode([command, reason]))
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
                    await actuator.impedanceCommand(pkt.payload)
                },
            },
            // the bench's and joint-step's setpoint, at the loop's rate too
            {
                serviceIndex: actuator.serviceIndex,
                code: CURRENT_CODE,
                handle: async (pkt: ds.Packet) => {
                    await actuator.currentCommand(pkt.payload)
                },
            },
        ]
    )
}
