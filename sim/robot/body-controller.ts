// The body controller (the robot's main computer) as the joint boards see it: it arms every joint
// once its services appear on the bus, then plays the walking-in-place gait as impedance setpoints
// with feedforward torque from its leg model: the load the leg puts on the joint at the reference
// angle, plus the segment's inertia times the reference acceleration.
import type { Simulation } from "../simulation.ts"
import type { JointBoard } from "../hardware/joint-board.ts"
import { jointAngleRad, legLoadTorqueNm, LEG_INERTIA_KGM2, type GaitParams } from "./gait.ts"
import type { JointSpec } from "./joints.ts"
import { ACTUATORS } from "../plants/actuator.ts"

export interface Gains {
    kpNmRad: number
    kdNmsRad: number
}

/** impedance gains by actuator size: stiff enough for 1 degree, soft enough for the bus rate */
export const WALK_GAINS: Record<string, Gains> = {
    large: { kpNmRad: 600, kdNmsRad: 12 },
    small: { kpNmRad: 200, kdNmsRad: 3 },
}

const DIFF_S = 0.002
/** an armed joint whose telemetry (every 40 ms) stops for this long has stopped answering */
const SILENT_AFTER_US = 200_000

export class BodyController {
    /** when the gait starts: every joint armed and holding its posture for a moment */
    walkStartUs: number | undefined
    /** joints that stopped answering, and when that was noticed */
    readonly silent: { board: string; tUs: number }[] = []
    private armedAtUs = new Map<string, number>()

    constructor(
        private sim: Simulation,
        private gait: GaitParams,
        private joints: { spec: JointSpec; board: JointBoard }[],
        private commandPeriodUs: number,
        private settleUs: number
    ) {}

    start() {
        const tick = () => {
            this.step(this.sim.clock.nowUs)
            this.sim.clock.after(this.commandPeriodUs, tick)
        }
        this.sim.clock.after(this.commandPeriodUs, tick)
    }

    /** the gait time at sim time t (the posture of gait time 0 is held until the walk starts) */
    gaitS(tUs: number): number {
        return this.walkStartUs === undefined || tUs < this.walkStartUs ? 0 : (tUs - this.walkStartUs) / 1e6
    }

    referenceRad(spec: JointSpec, tUs: number): number {
        return jointAngleRad(this.gait, spec.leg, spec.kind, this.gaitS(tUs))
    }

    private step(tUs: number) {
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
            const lastUs = Math.max(c.telemetry?.tUs ?? 0, armedUs)
            if (tUs - lastUs > SILENT_AFTER_US) {
                if (!this.silent.some(x => x.board === spec.name)) this.silent.push({ board: spec.name, tUs })
                continue
            }
            const t = this.gaitS(tUs)
            const walking = this.walkStartUs !== undefined && tUs >= this.walkStartUs
            const q = jointAngleRad(this.gait, spec.leg, spec.kind, t)
            const qPlus = walking ? jointAngleRad(this.gait, spec.leg, spec.kind, t + DIFF_S) : q
            const qMinus = walking && t >= DIFF_S ? jointAngleRad(this.gait, spec.leg, spec.kind, t - DIFF_S) : q
            const vel = (qPlus - qMinus) / (2 * DIFF_S)
            const acc = (qPlus - 2 * q + qMinus) / (DIFF_S * DIFF_S)
            const a = ACTUATORS[spec.actuator] // the actuator's data sheet figures
            const inertia = LEG_INERTIA_KGM2[spec.kind] + a.gearRatio * a.gearRatio * a.rotorInertiaKgM2
            const ff = -legLoadTorqueNm(this.gait, spec.leg, spec.kind, q, t) + inertia * acc
            const g = WALK_GAINS[spec.actuator]
            c.impedance(q, vel, g.kpNmRad, g.kdNmsRad, ff)
        }
        if (this.walkStartUs === undefined && this.armedAtUs.size === this.joints.length) this.walkStartUs = tUs + this.settleUs
    }
}
