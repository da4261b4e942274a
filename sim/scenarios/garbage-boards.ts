// The boards of the garbage scenario (garbage.ts): a joint holding a link against gravity in impedance
// mode, and a foot walking; for each, the valid commands its controller sends (the garbage's
// material and the replays), the drive limit checked from the plant side, and the controller's
// recovery once the garbage stops (clear and re-arm) with the check that the board works again.
import type { BusSegment } from "../bus/segment.ts"
import type { JDFrameBuffer } from "jacdac-ts"
import { commandFrame, type CommandPacket } from "../bus/garbage-frames.ts"
import type { ParamValues } from "../params.ts"
import { deviceIdFor, type Simulation } from "../simulation.ts"
import { round } from "../numbers.ts"
import { customService } from "../services.ts"
import { serverDeviceIdOf, type BoardVm } from "../vm/board-vm.ts"
import { linkLoad } from "../plants/loads.ts"
import { Gait } from "../plants/gait.ts"
import { PLANT_STEP_US } from "../hardware/joint-board.ts"
import { addFootBoard } from "../hardware/foot-board.ts"
import { JOINT_MODE, type JointClient } from "../clients/joint-client.ts"
import { matchEvents } from "../metrics/foot-contact.ts"
import { addJoint, armWhenConnected, every } from "./joint-common.ts"
import type { FaultReport, Metrics } from "../result.ts"

export interface GarbageBoard {
    body: BusSegment
    vm: BoardVm
    /** the board program's device id (its servers) */
    serverId: string
    /** service index of the board's own service (joint actuator, foot contact) and of its fault service */
    readonly mainIndex: number
    readonly faultIndex: number
    /** the last garbage frame was sent at `endUs`: the controller clears and re-arms the board */
    garbageEnded(endUs: number): void
    /** the valid commands of its controller (the garbage mutates them) */
    templates(): CommandPacket[]
    /** the valid command replayed at ten times its rate */
    replayed(): CommandPacket
    /** the drive against the settings' limits, from the plant side */
    limits(): Metrics
    /** fault codes reported between two times, counted */
    faultsDuring(fromUs: number, toUs: number): Record<string, number>
    faults(): FaultReport[]
    /** did it work again after clear and re-arm */
    recovery(): Metrics
}

const f32s = (...v: number[]) => new Uint8Array(new Float32Array(v).buffer)
const u8s = (...v: number[]) => new Uint8Array(v)
const u16s = (...v: number[]) => new Uint8Array(new Uint16Array(v).buffer)
const joined = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap(p => [...p]))
const empty = new Uint8Array(0)
const GET = 0x1000
const SET = 0x2000

/** the service index of `shortId` on device `id` once it has announced itself (-1 before) */
function serviceIndexOf(body: BusSegment, id: string, shortId: string): number {
    const srv = body.bus.device(id, true)?.services({ serviceClass: customService(shortId).classIdentifier })[0]
    return srv ? srv.serviceIndex : -1
}

function countFaults(faults: { tUs: number; name: string }[], fromUs: number, toUs: number) {
    const out: Record<string, number> = {}
    for (const f of faults) if (f.tUs >= fromUs && f.tUs <= toUs) out[f.name] = (out[f.name] ?? 0) + 1
    return out
}

/** the controller clears and re-arms this long after the garbage stops, and retries this often */
const REARM_AFTER_US = 100_000
const REARM_RETRY_US = 100_000

// ---- the joint: a 5 kg link on 0.3 m held at 0.5 rad from hanging ----

const HOLD = { posRad: 0.5, kpNmRad: 200, kdNmsRad: 5 }
const GRAVITY_LINK = linkLoad({ massKg: 5, leverM: 0.3, gravity: true })
/** the angle is compared over this long before the garbage and at the end of the run */
const TRACK_WINDOW_US = 300_000
/** back at its hold: within this of where it held before the garbage */
const TRACK_TOLERANCE_RAD = 0.01
const wrapRad = (a: number) => Math.atan2(Math.sin(a), Math.cos(a))

/** the service indexes of a joint's actuator and fault services (-1 before it has announced them) */
export type JointIndexes = () => { main: number; fault: number }

/**
 * A joint controller's valid commands, the garbage's material, and the hold it replays. The drive
 * commands' payloads each end in the session token (services/jointactuator.md): they carry the token
 * of the session the bus last heard granted (everyone on the bus hears the enable's reply: the token
 * is no secret), written into them in place, so that the garbage still reaches the joint's control path.
 */
export function jointCommands(c: JointClient, indexes: JointIndexes) {
    const hold = joined(f32s(HOLD.posRad, 0, HOLD.kpNmRad, HOLD.kdNmsRad, 0), u16s(0))
    const current5A = joined(f32s(5), u16s(0))
    // a bench capture with a 5 A step: the board drives the excitation itself
    const capture = joined(f32s(0, 5, 10), u16s(100, 10, 1), u8s(1, 0), u16s(0))
    c.enableReplyHooks.push(r => {
        if (!r.token) return
        for (const payload of [hold, current5A, capture]) new DataView(payload.buffer).setUint16(payload.length - 2, r.token, true)
    })
    return {
        templates(): CommandPacket[] {
            const a = indexes().main
            const f = indexes().fault
            return [
                { serviceIndex: a, command: 0x82, payload: hold },
                { serviceIndex: a, command: 0x83, payload: current5A },
                { serviceIndex: a, command: 0x80, payload: u16s(0x6a7b) }, // enable, a request number of its own
                { serviceIndex: a, command: 0x81, payload: empty },
                { serviceIndex: a, command: 0x85, payload: capture },
                { serviceIndex: a, command: 0x86, payload: new Uint8Array(new Uint16Array([0]).buffer) },
                { serviceIndex: a, command: GET | 0x180, payload: empty },
                { serviceIndex: a, command: GET | 0x181, payload: empty },
                { serviceIndex: f, command: 0x80, payload: empty },
                { serviceIndex: f, command: GET | 0x101, payload: empty },
            ]
        },
        replayed: (): CommandPacket => ({ serviceIndex: indexes().main, command: 0x82, payload: hold }),
    }
}

/** the joint's service indexes on `body`, found once it has announced them */
export function jointIndexes(body: BusSegment, serverId: string): JointIndexes {
    let idx = { main: -1, fault: -1 }
    return () => {
        if (idx.main < 0) idx = { main: serviceIndexOf(body, serverId, "jointactuator"), fault: serviceIndexOf(body, serverId, "boardfault") }
        return idx
    }
}

export async function garbageJoint(sim: Simulation, p: ParamValues, startUs: number): Promise<GarbageBoard> {
    const joint = await addJoint(sim, p, "joint", GRAVITY_LINK)
    const c = joint.client
    const serverId = c.serverDeviceId
    const body = sim.segments.find(s => s.name === "body")!
    const s = joint.opts.settings
    const indexes = jointIndexes(body, serverId)
    const commands = jointCommands(c, indexes)
    armWhenConnected(sim, joint, t => every(sim, t, 10_000, () => c.impedance(HOLD.posRad, 0, HOLD.kpNmRad, HOLD.kdNmsRad, 0)))
    // after the garbage the controller re-arms it whenever its telemetry shows it faulted or not
    // tracking: disable (it may be in a session the garbage opened), clear, enable
    let endUs = NaN
    let trackingAgainUs = NaN
    const rearm = () => {
        const tm = c.telemetry
        if (tm && tm.fault === 0 && tm.mode === JOINT_MODE.impedance && tm.tUs > endUs + REARM_AFTER_US) {
            if (Number.isNaN(trackingAgainUs)) trackingAgainUs = tm.tUs
        } else {
            trackingAgainUs = NaN
            c.disable()
            c.clearFault()
            c.enable()
        }
        sim.clock.after(REARM_RETRY_US, rearm)
    }

    // the plant's current, every plant step
    let maxA = 0
    const angles: { tUs: number; rad: number }[] = []
    sim.integrate({
        maxStepUs: PLANT_STEP_US,
        step: (_dtS, tUs) => {
            const a = Math.abs(joint.actuator.currentA)
            if (a > maxA) maxA = a
            // (wrapped: the garbage may have turned the link round, and the joint's encoder is absolute)
            if (tUs % 10_000 === 0) angles.push({ tUs, rad: wrapRad(joint.actuator.angleRad) })
        },
    })
    const meanAngle = (fromUs: number, toUs: number) => {
        const w = angles.filter(x => x.tUs >= fromUs && x.tUs < toUs)
        return w.reduce((sum, x) => sum + x.rad, 0) / w.length
    }
    return {
        body,
        vm: joint.vm,
        serverId,
        garbageEnded(tUs) {
            endUs = tUs
            sim.clock.schedule(endUs + REARM_AFTER_US, rearm)
        },
        get mainIndex() {
            return indexes().main
        },
        get faultIndex() {
            return indexes().fault
        },
        templates: commands.templates,
        replayed: commands.replayed,
        limits: () => ({
            maxCurrentA: round(maxA, 2),
            // the settings' peak current, and the current that gives their output torque limit
            currentLimitA: s.peakA,
            torqueLimitCurrentA: round(s.torqueNm / (s.ktNmPerA * s.gearRatio * s.gearEff), 2),
            tripA: s.tripA,
        }),
        faultsDuring: (fromUs, toUs) => countFaults(c.faults, fromUs, toUs),
        faults: () => c.faults.map(f => ({ board: "joint", code: f.name, tS: f.tUs / 1e6, detail: f.detail })),
        recovery: () => {
            const before = meanAngle(startUs - TRACK_WINDOW_US, startUs)
            const after = meanAngle(sim.clock.nowUs - TRACK_WINDOW_US, sim.clock.nowUs + 1)
            const tm = c.telemetry
            const trackingErrorRad = Math.abs(after - before)
            return {
                holdBeforeRad: round(before, 4),
                holdAfterRad: round(after, 4),
                trackingAgainAfterS: round((trackingAgainUs - endUs) / 1e6, 2),
                recovered: !!tm && tm.mode === JOINT_MODE.impedance && tm.fault === 0 && joint.bridgeOn && trackingErrorRad <= TRACK_TOLERANCE_RAD,
            }
        },
    }
}

// ---- the foot: walking, sampling; its controller writes its sample period and reads its registers ----

/** a board event is matched to a true event within this (metrics/foot-contact.ts matchEvents' window) */
const EVENT_MATCH_US = 100_000
/** the body controller's tare with the foot in the air: this far into a swing */
const TARE_INTO_SWING_US = 50_000

export async function garbageFoot(sim: Simulation, p: ParamValues, durationS: number): Promise<GarbageBoard> {
    const stepPeriodS = Number(p.stepPeriodS)
    const gait = new Gait(
        { steps: Math.ceil(durationS / stepPeriodS) + 2, stepPeriodS, stanceFraction: Number(p.stanceFraction), stepJitterPct: Number(p.stepJitterPct), startDelayS: 1 },
        sim.random.fork("foot/gait")
    )
    const body = sim.addSegment("body", true)
    const foot = await addFootBoard(sim, "foot", gait, p, body)
    const serverId = serverDeviceIdOf(deviceIdFor("foot"))
    let idx = { main: -1, fault: -1 }
    const indexes = () => {
        if (idx.main < 0) idx = { main: serviceIndexOf(body, serverId, "footcontact"), fault: serviceIndexOf(body, serverId, "boardfault") }
        return idx
    }
    const samplePeriod = (): CommandPacket => ({ serviceIndex: indexes().main, command: SET | 0x84, payload: u8s(Number(p.sampleMs)) })
    // its registers as the controller wants them (the footcontact spec's defaults), written again on
    // re-arm: liftoff, touchdown, liftoff again, as the board refuses a pair that breaks the hysteresis
    // whatever the garbage left them at
    const liftoff = (): CommandPacket => ({ serviceIndex: indexes().main, command: SET | 0x81, payload: f32s(20) })
    const registers = (): CommandPacket[] => [
        liftoff(),
        { serviceIndex: indexes().main, command: SET | 0x80, payload: f32s(40) },
        liftoff(),
        { serviceIndex: indexes().main, command: SET | 0x82, payload: u8s(1) },
        { serviceIndex: indexes().main, command: SET | 0x83, payload: f32s(50) },
        samplePeriod(),
    ]
    // re-arm: clear the fault, write the registers, tare in the next swing (the garbage may have tared
    // the loaded foot or changed its thresholds; the controller knows its own gait)
    let tareUs = NaN
    const rearm = () => {
        const send = (pkt: CommandPacket) => void body.bus.sendFrameAsync(commandFrameOf(serverId, pkt))
        send({ serviceIndex: indexes().fault, command: 0x80, payload: empty })
        registers().forEach(send)
        const swing = gait.stances.find(st => st.liftoffUs > sim.clock.nowUs)!
        tareUs = swing.liftoffUs + TARE_INTO_SWING_US
        sim.clock.schedule(tareUs, () => send({ serviceIndex: indexes().main, command: 0x80, payload: empty }))
    }
    const faults = () => foot.faults.map(f => ({ ...f, tUs: f.tS * 1e6, name: f.code }))
    return {
        body,
        vm: foot.vm,
        serverId,
        garbageEnded: endUs => sim.clock.schedule(endUs + REARM_AFTER_US, rearm),
        get mainIndex() {
            return indexes().main
        },
        get faultIndex() {
            return indexes().fault
        },
        templates: () => [
            ...registers(),
            { serviceIndex: indexes().main, command: GET | 0x181, payload: empty },
            { serviceIndex: indexes().main, command: GET | 0x80, payload: empty },
            { serviceIndex: indexes().fault, command: 0x80, payload: empty },
            { serviceIndex: indexes().fault, command: GET | 0x101, payload: empty },
        ],
        replayed: samplePeriod,
        limits: () => ({}),
        faultsDuring: (fromUs, toUs) => countFaults(faults(), fromUs, toUs),
        faults: () => foot.faults,
        recovery: () => {
            // from the second stance after the tare on, every true touchdown and liftoff is reported
            const from = gait.stances.filter(st => st.touchdownUs > tareUs)[1]?.touchdownUs ?? Infinity
            const until = sim.clock.nowUs - 150_000
            const inWindow = (t: number) => t >= from && t <= until
            const trueOf = (k: "touchdownUs" | "liftoffUs") => gait.stances.map(st => st[k])
            const boardOf = (k: "touchdown" | "liftoff") => foot.events.filter(e => e.kind === k).map(e => e.atUs)
            // missed: a true event in the window with no board event near it; invented: a board event
            // in the window (less its edges, where its true event may lie outside) with no true event
            const missedOf = (k: "touchdown" | "liftoff") => matchEvents(trueOf(`${k}Us`).filter(inWindow), boardOf(k)).unmatchedTrue
            const inner = (t: number) => t >= from + EVENT_MATCH_US && t <= until - EVENT_MATCH_US
            const inventedOf = (k: "touchdown" | "liftoff") => matchEvents(trueOf(`${k}Us`), boardOf(k).filter(inner)).unmatchedBoard
            const checked = trueOf("touchdownUs").filter(inWindow).length + trueOf("liftoffUs").filter(inWindow).length
            const missed = missedOf("touchdown") + missedOf("liftoff")
            const invented = inventedOf("touchdown") + inventedOf("liftoff")
            return { contactsChecked: checked, contactsMissed: missed, contactsInvented: invented, recovered: checked > 0 && missed === 0 && invented === 0 }
        },
    }
}

const commandFrameOf = (id: string, pkt: CommandPacket) => commandFrame(id, [pkt]) as JDFrameBuffer
