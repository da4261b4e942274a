// The body controller (the robot's main computer) as the joint boards see it: it arms every joint
// once its services appear on the bus, then plays the walking-in-place gait as impedance setpoints
// with feedforward torque from its leg model: the load its model of the stance force puts on the
// joint at the reference angle, plus the segment's and rotor's inertia times the reference
// acceleration. A joint it loses (silent, faulted, restarted) puts the other joints of its leg in
// damping until the joint is cleared and enabled again (leg-guard.ts) and the leg's next swing begins. It follows each foot board's contact
// events at the time of the sample they come from (the board's stamp on its own clock: BoardClock):
// a leg whose foot board has not confirmed its scheduled touchdown gets no stance load. The setpoints
// of a leg's six joints go out in one frame a period (services/legsetpoints.md), each with the session
// token its joint's enable reply gave (a joint whose reply has not come yet gets no setpoint).
import type { Simulation } from "../simulation.ts"
import type { JointBoard } from "../hardware/joint-board.ts"
import { ACTUATORS } from "../plants/actuator.ts"
import { inStance, jointAngleRad, legLoadTorqueNm, verticalForceN, LEG_INERTIA_KGM2, type GaitParams } from "./gait.ts"
import type { JointSpec, Leg } from "./joints.ts"
import { BoardClock } from "./board-clock.ts"
import type { BoardEvent } from "../metrics/foot-contact.ts"
import { LegGuard } from "./leg-guard.ts"
import { LEG_SLOTS, type LegSlot, type LegSetpointsHost } from "../clients/leg-setpoints.ts"
import { JOINT_MODE } from "../clients/joint-client.ts"

export interface Gains {
    kpNmRad: number
    kdNmsRad: number
}

/**
 * impedance gains by actuator size: stiff enough for 1 degree with the feedforward, soft enough for
 * the joints' impedance law at 100 Hz on the stock runtime, a step late by its own run (a few ms): the
 * ankles' small inertia (0.06 kg·m² reflected) went unstable at 200 N·m/rad and 3 N·m·s/rad (kd T / J
 * 0.5 per period, with the delay over 0.8), and is steady at half of both (measured: robot-walk under
 * the target model, ankles 0.2 deg RMS)
 */
export const WALK_GAINS: Record<string, Gains> = {
    large: { kpNmRad: 600, kdNmsRad: 12 },
    small: { kpNmRad: 100, kdNmsRad: 1.5 },
}

const DIFF_US = 2000
/**
 * A joint is held where it hangs until it follows its leg's frames (its telemetry reports impedance:
 * its role binds to the frame's device at that device's announce, up to half a second after the
 * arming), and then taken to its reference over this long, on a minimum-jerk path. (The posture as
 * one step at full stiffness, 0.2 rad at a knee, rang the knees at about 10 Hz for half a second,
 * into the walk's first 300 ms.)
 */
const APPROACH_US = 150_000
/** a leg walking again after a lost joint gets its stiffness back over this long (leg-guard.ts) */
const STIFFNESS_RAMP_US = 200_000

/** a scheduled touchdown the foot board has not confirmed this long after: the leg has not landed */
const LANDING_LATE_US = 60_000
/** a confirmed touchdown this long before the scheduled one still counts for it */
const LANDING_EARLY_US = 60_000

/** what the body controller knows of a foot's contact, on its own clock */
interface FootContact {
    clock: BoardClock
    /** the sample times of the last confirmed touchdown and liftoff */
    touchdownUs?: number
    liftoffUs?: number
}

export class BodyController {
    /** joints lost and re-armed (or not) */
    readonly guard: LegGuard
    /** each contact event's age when it arrived: arrival minus its sample's time */
    readonly contactAgesUs: number[] = []
    /** stances the body controller walked without its foot board's touchdown (leg given no load) */
    readonly unconfirmedStances = new Set<string>()
    private armedAtUs = new Map<string, number>()
    /** each joint's approach to its reference: where it was when it began to follow its leg's frames, and when */
    private approaches = new Map<string, { fromRad: number; startUs: number }>()
    private feet: Record<Leg, FootContact> = { left: { clock: new BoardClock() }, right: { clock: new BoardClock() } }

    constructor(
        private sim: Simulation,
        private gait: GaitParams,
        /** the leg's phase at a time (from its foot's stances) */
        private phaseOf: (leg: Leg, tUs: number) => number | undefined,
        private joints: { spec: JointSpec; board: JointBoard }[],
        private commandPeriodUs: number,
        private legFrames: Record<Leg, LegSetpointsHost>
    ) {
        this.guard = new LegGuard(
            joints.map(j => ({ spec: j.spec, client: j.board.client })),
            (leg, except) => {
                const damped = joints.filter(j => j.spec.leg === leg && j.spec.name !== except && this.armedAtUs.has(j.spec.name))
                // at once, not at the next period: the leg's frame with only the damped joints' slots set
                const slots: (LegSlot | undefined)[] = new Array(LEG_SLOTS)
                for (const j of damped) if (j.board.client.token) slots[j.spec.slot] = this.damping(j.spec, j.board)
                this.legFrames[leg].send(slots)
                return damped.map(j => j.spec.name)
            }
        )
    }

    /** joints that stopped answering, and when that was noticed */
    get silent(): { board: string; tUs: number }[] {
        return this.guard.incidents.filter(i => i.cause === "silent").map(i => ({ board: i.board, tUs: i.noticedUs }))
    }

    /** a zero-stiffness setpoint: the joint only damps, at the walk's damping gain */
    private damping(spec: JointSpec, board: JointBoard): LegSlot {
        const c = board.client
        return { posRad: c.telemetry?.angleRad ?? 0, velRadS: 0, kpNmRad: 0, kdNmsRad: WALK_GAINS[spec.actuator].kdNmsRad, ffNm: 0, token: c.token }
    }

    start() {
        const tick = () => {
            this.step(this.sim.clock.nowUs)
            this.sim.clock.after(this.commandPeriodUs, tick)
        }
        this.sim.clock.after(this.commandPeriodUs, tick)
    }

    /** a report of `leg`'s foot board, stamped `stampU32` on the board's clock, arrived at `atUs` */
    footReport(leg: Leg, stampU32: number, atUs: number) {
        this.feet[leg].clock.observe(stampU32, atUs)
    }

    /** a touchdown or liftoff of `leg`'s foot board arrived */
    footEvent(leg: Leg, e: BoardEvent) {
        const f = this.feet[leg]
        // an event is a delivery of its sample's stamp too: the fastest of reports and events sets the offset
        f.clock.observe(e.boardUs, e.atUs)
        const sampleUs = f.clock.hostUs(e.boardUs)
        if (sampleUs === undefined) return
        this.contactAgesUs.push(e.atUs - sampleUs)
        if (e.kind === "touchdown") f.touchdownUs = sampleUs
        else f.liftoffUs = sampleUs
    }

    /**
     * The leg carries its stance load at `tUs` (scheduled phase `phase`): not in a scheduled stance,
     * or its touchdown is less than LANDING_LATE_US old (the event is on its way), or the foot board
     * confirmed it (a touchdown sample near the scheduled one, no liftoff since).
     */
    private landed(leg: Leg, phase: number | undefined, tUs: number): boolean {
        if (phase === undefined || phase >= this.gait.stanceFraction) return true
        const scheduledUs = tUs - phase * this.gait.strideS * 1e6
        if (tUs - scheduledUs < LANDING_LATE_US) return true
        const f = this.feet[leg]
        const confirmed = f.touchdownUs !== undefined && f.touchdownUs >= scheduledUs - LANDING_EARLY_US && !(f.liftoffUs !== undefined && f.liftoffUs > f.touchdownUs)
        if (!confirmed) this.unconfirmedStances.add(`${leg}@${Math.round(scheduledUs / 1000)}ms`)
        return confirmed
    }

    /** the leg is in its swing with the stiffness ramp's time still ahead of it */
    private swingAhead(leg: Leg, tUs: number): boolean {
        const phase = this.phaseOf(leg, tUs)
        if (phase === undefined || inStance(this.gait, phase)) return false
        return (1 - phase) * this.gait.strideS * 1e6 >= STIFFNESS_RAMP_US
    }

    get allArmed() {
        return this.armedAtUs.size === this.joints.length
    }

    /** the leg walks on both sides of `tUs` (DIFF_US either way): its references are smooth there */
    private walksAround(leg: Leg, tUs: number): boolean {
        return this.phaseOf(leg, tUs - DIFF_US) !== undefined && this.phaseOf(leg, tUs + DIFF_US) !== undefined
    }

    /** the setpoint on a joint's way from where it was when it began to follow to its reference (q, vel) */
    private approach(name: string, board: JointBoard, tUs: number, q: number, vel: number): { posRad: number; velRadS: number } {
        let a = this.approaches.get(name)
        if (!a) {
            const heard = board.client.telemetry
            if (heard?.mode !== JOINT_MODE.impedance) return { posRad: heard?.angleRad ?? q, velRadS: 0 }
            a = { fromRad: heard.angleRad, startUs: tUs }
            this.approaches.set(name, a)
        }
        const t = (tUs - a.startUs) / APPROACH_US
        if (t >= 1) return { posRad: q, velRadS: vel }
        // minimum jerk: s = 10 t^3 - 15 t^4 + 6 t^5 from 0 to 1, at rest at both ends
        const s = t * t * t * (10 - 15 * t + 6 * t * t)
        const sRatePerS = ((30 * t * t * (1 - t) * (1 - t)) * 1e6) / APPROACH_US
        return { posRad: a.fromRad + (q - a.fromRad) * s, velRadS: vel * s + (q - a.fromRad) * sRatePerS }
    }

    referenceRad(spec: JointSpec, tUs: number): number {
        return jointAngleRad(this.gait, spec.kind, this.phaseOf(spec.leg, tUs))
    }

    private step(tUs: number) {
        const slots: Record<Leg, (LegSlot | undefined)[]> = { left: new Array(LEG_SLOTS), right: new Array(LEG_SLOTS) }
        // A leg whose lost joint is re-armed walks again at the start of a swing, where it carries only
        // its own weight while its stiffness comes back (re-armed in stance, a knee sagged 20 degrees
        // under the body's weight in the ramp and rang for a second)
        for (const leg of ["left", "right"] as Leg[]) if (this.guard.waitingToWalk(leg) && this.swingAhead(leg, tUs)) this.guard.walkAgain(leg, tUs)
        // The reference is smooth only while the leg walks on both sides of now: where its gait starts
        // (or stops) the sway sets off with a speed, and the second difference across that corner is
        // no acceleration but an impulse (a hip roll's feedforward of about 90 Nm for one frame: 66 A
        // at the first weight shift, 2.7 deg off its reference). There the acceleration's term is left out.
        const smooth = { left: this.walksAround("left", tUs), right: this.walksAround("right", tUs) }
        for (const { spec, board } of this.joints) {
            const c = board.client
            const armedUs = this.armedAtUs.get(spec.name)
            if (armedUs === undefined) {
                if (c.tryConnect()) {
                    c.enable()
                    this.armedAtUs.set(spec.name, tUs)
                }
                continue
            }
            if (!this.guard.walks({ spec, client: c }, armedUs, tUs)) continue
            if (!c.token) continue // its enable's reply (the token) is still on its way
            if (this.guard.damped(spec.leg)) {
                slots[spec.leg][spec.slot] = this.damping(spec, board)
                continue
            }
            const q = this.referenceRad(spec, tUs)
            const qPlus = this.referenceRad(spec, tUs + DIFF_US)
            const qMinus = this.referenceRad(spec, tUs - DIFF_US)
            const dtS = DIFF_US / 1e6
            const vel = (qPlus - qMinus) / (2 * dtS)
            const acc = smooth[spec.leg] ? (qPlus - 2 * q + qMinus) / (dtS * dtS) : 0
            const a = ACTUATORS[spec.actuator] // the actuator's data sheet figures
            const inertia = LEG_INERTIA_KGM2[spec.kind] + a.gearRatio * a.gearRatio * a.rotorInertiaKgM2
            const phase = this.phaseOf(spec.leg, tUs)
            const fzModelN = this.landed(spec.leg, phase, tUs) ? verticalForceN(this.gait, phase) : 0
            const ff = -legLoadTorqueNm(spec.kind, q, fzModelN) + inertia * acc
            const g = WALK_GAINS[spec.actuator]
            const share = this.guard.stiffnessShare(spec.leg, tUs, STIFFNESS_RAMP_US)
            const { posRad, velRadS } = this.approach(spec.name, board, tUs, q, vel)
            slots[spec.leg][spec.slot] = { posRad, velRadS, kpNmRad: share * g.kpNmRad, kdNmsRad: g.kdNmsRad, ffNm: ff, token: c.token }
        }
        for (const leg of ["left", "right"] as Leg[]) this.legFrames[leg].send(slots[leg])
    }
}
