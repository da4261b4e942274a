// The body controller (the robot's main computer) as the joint boards see it: it arms every joint
// once its services appear on the bus, then plays the walking-in-place gait as impedance setpoints
// with feedforward torque from its leg model: the load its model of the stance force puts on the
// joint at the reference angle, plus the segment's and rotor's inertia times the reference
// acceleration. It also notices boards that stop answering.
import type { Simulation } from "../simulation.ts"
import type { JointBoard } from "../hardware/joint-board.ts"
import { ACTUATORS } from "../plants/actuator.ts"
import { jointAngleRad, legLoadTorqueNm, verticalForceN, LEG_INERTIA_KGM2, type GaitParams } from "./gait.ts"
import type { JointSpec, Leg } from "./joints.ts"

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
/** an armed joint whose telemetry (every 40 ms) stops for this long has stopped answering */
const SILENT_AFTER_US = 200_000

export class BodyController {
    /** joints that stopped answering, and when that was noticed */
    readonly silent: { board: string; tUs: number }[] = []
    private armedAtUs = new Map<string, number>()

    constructor(
        private sim: Simulation,
        private gait: GaitParams,
        /** the leg's phase at a time (from its foot's stances) */
        private phaseOf: (leg: Leg, tUs: number) => number | undefined,
        private joints: { spec: JointSpec; board: JointBoard }[],
        private commandPeriodUs: number
    ) {}

    start() {
        const tick = () => {
            this.step(this.sim.clock.nowUs)
            this.sim.clock.after(this.commandPeriodUs, tick)
        }
        this.sim.clock.after(this.commandPeriodUs, tick)
    }

    get allArmed() {
        return this.armedAtUs.size === this.joints.length
    }

    referenceRad(spec: JointSpec, tUs: number): number {
        return jointAngleRad(this.gait, spec.kind, this.phaseOf(spec.leg, tUs))
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
            const q = this.referenceRad(spec, tUs)
            const qPlus = this.referenceRad(spec, tUs + DIFF_US)
            const qMinus = this.referenceRad(spec, tUs - DIFF_US)
            const dtS = DIFF_US / 1e6
            const vel = (qPlus - qMinus) / (2 * dtS)
            const acc = (qPlus - 2 * q + qMinus) / (dtS * dtS)
            const a = ACTUATORS[spec.actuator] // the actuator's data sheet figures
            const inertia = LEG_INERTIA_KGM2[spec.kind] + a.gearRatio * a.gearRatio * a.rotorInertiaKgM2
            const fzModelN = verticalForceN(this.gait, this.phaseOf(spec.leg, tUs))
            const ff = -legLoadTorqueNm(spec.kind, q, fzModelN) + inertia * acc
            const g = WALK_GAINS[spec.actuator]
            c.impedance(q, vel, g.kpNmRad, g.kdNmsRad, ff)
        }
    }
}
