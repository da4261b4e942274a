// Walking in place (design/plant.md, gait): each leg alternates stance and swing, half a stride
// apart; stance is 60 % of the stride, so both feet are down for 10 % of it twice per stride. The
// legs' stances are the foot plant's (sim/plants/gait.ts), so the joints and the feet live the same
// walk: the leg's joint angles follow smooth references of the leg's phase (the swing leg lifts its
// foot by flexing hip, knee and ankle; the body sways sideways on hip and ankle roll), and each joint
// feels the vertical force the foot plant puts through that foot.
import type { Gait } from "../plants/gait.ts"
import { bodyLoadShape } from "../plants/foot-ground.ts"
import type { JointKind } from "./joints.ts"
import type { JointLoad } from "../plants/loads.ts"

export interface GaitParams {
    strideS: number
    stanceFraction: number
    bodyMassKg: number
    /** swing-phase flexion amplitudes, rad */
    kneeLiftRad: number
    hipLiftRad: number
    ankleLiftRad: number
    swayRad: number
}

export const DEFAULT_GAIT: GaitParams = {
    strideS: 1.2,
    stanceFraction: 0.6,
    bodyMassKg: 50,
    kneeLiftRad: 0.6,
    hipLiftRad: 0.35,
    ankleLiftRad: 0.25,
    swayRad: 0.05,
}

const G = 9.81
/** standing posture: slightly crouched */
const STANCE_KNEE_RAD = 0.2

/**
 * The leg's phase at tUs from its foot's stances: 0 at heel strike, stanceFraction at liftoff, up to
 * 1 at the next heel strike; undefined before the first touchdown (the robot hangs, legs at posture)
 * and after the last liftoff.
 */
export function legPhase(g: GaitParams, foot: Gait, tUs: number): number | undefined {
    const { stance, next } = foot.phaseAt(tUs, foot.indexAt(tUs))
    const strideUs = (g.strideS * 1e6)
    if (stance) return Math.min(g.stanceFraction, (tUs - stance.touchdownUs) / strideUs)
    const prev = foot.stances[next - 1]
    if (!prev || next >= foot.stances.length) return undefined
    return Math.min(0.999, g.stanceFraction + (tUs - prev.liftoffUs) / strideUs)
}

export const inStance = (g: GaitParams, phase: number) => phase < g.stanceFraction

/** 0 in stance, rising smoothly to 1 at mid-swing and back to 0 at heel strike */
export function swingLift(g: GaitParams, phase: number): number {
    if (inStance(g, phase)) return 0
    const s = Math.sin((Math.PI * (phase - g.stanceFraction)) / (1 - g.stanceFraction))
    return s * s
}

/** the body controller's model of the vertical force on a foot in stance (the foot plant's shape) */
export function verticalForceN(g: GaitParams, phase: number | undefined): number {
    if (phase === undefined || !inStance(g, phase)) return 0
    return bodyLoadShape(phase / g.stanceFraction) * g.bodyMassKg * G
}

/** the joint's angle reference at the leg's phase (undefined: standing posture) */
export function jointAngleRad(g: GaitParams, kind: JointKind, phase: number | undefined): number {
    const lift = phase === undefined ? 0 : swingLift(g, phase)
    // the legs' phases are half a stride apart, so this sways the body to one side and back
    const sway = phase === undefined ? 0 : g.swayRad * Math.sin(2 * Math.PI * phase)
    switch (kind) {
        case "hip_yaw":
            return 0
        case "hip_roll":
            return sway
        case "hip_pitch":
            return -0.5 * STANCE_KNEE_RAD - g.hipLiftRad * lift
        case "knee":
            return STANCE_KNEE_RAD + g.kneeLiftRad * lift
        case "ankle_pitch":
            return -0.5 * STANCE_KNEE_RAD - g.ankleLiftRad * lift
        case "ankle_roll":
            return -sway
    }
}

/** lever arm of the foot's vertical force about each joint, as a function of its angle (m) */
const STANCE_LEVER_M: Record<JointKind, number> = {
    hip_yaw: 0,
    hip_roll: 0.08,
    hip_pitch: 0.35,
    knee: 0.35,
    ankle_pitch: 0.06,
    ankle_roll: 0.04,
}

/** mass below the joint in swing and its lever (the leg's own weight) */
const SWING_MASS: Record<JointKind, [number, number]> = {
    hip_yaw: [0, 0],
    hip_roll: [6, 0.4],
    hip_pitch: [6, 0.35],
    knee: [3, 0.2],
    ankle_pitch: [1, 0.06],
    ankle_roll: [1, 0.03],
}

/**
 * Torque the leg puts on the joint's output at angle q (opposing the joint's support): the vertical
 * force through the foot `fzN` acting on the joint's lever, and the weight of the leg below it.
 */
export function legLoadTorqueNm(kind: JointKind, angleRad: number, fzN: number): number {
    return LEG_TORQUES[kind].torqueNm(angleRad, fzN)
}

/** legLoadTorqueNm of a joint of one kind, its lever and the leg's weight below it looked up once (the plant asks it every 50 µs) */
class LegTorque {
    /** the hip's yaw: the leg's weight and the foot's force act across its axis, not about it */
    private readonly none: boolean
    private readonly leverM: number
    private readonly weightNm: number
    constructor(kind: JointKind) {
        this.none = kind === "hip_yaw"
        this.leverM = STANCE_LEVER_M[kind]
        const [m, l] = SWING_MASS[kind]
        this.weightNm = m * G * l
    }
    torqueNm(angleRad: number, fzN: number): number {
        if (this.none) return 0
        const sin = Math.sin(angleRad)
        return -fzN * this.leverM * sin - this.weightNm * sin
    }
}

const LEG_TORQUES = Object.fromEntries(Object.keys(STANCE_LEVER_M).map(kind => [kind, new LegTorque(kind as JointKind)])) as Record<JointKind, LegTorque>

/**
 * What the leg puts on a joint's output in a walk: legLoadTorqueNm with the vertical force `ground`
 * carries now, and the leg segment's inertia (a class: see sim/plants/loads.ts).
 */
class LegLoad implements JointLoad {
    readonly blocked = false
    readonly inertiaKgM2: number
    private readonly torque: LegTorque
    constructor(
        kind: JointKind,
        private readonly ground: { readonly forceN: number }
    ) {
        this.inertiaKgM2 = LEG_INERTIA_KGM2[kind]
        this.torque = LEG_TORQUES[kind]
    }
    torqueNm(angleRad: number): number {
        return this.torque.torqueNm(angleRad, this.ground.forceN)
    }
}

/** the load of a joint of `kind` in a leg whose foot's vertical force is `ground.forceN` */
export function legLoad(kind: JointKind, ground: { readonly forceN: number }): JointLoad {
    return new LegLoad(kind, ground)
}

/** segment inertia seen by each joint (kg m^2) */
export const LEG_INERTIA_KGM2: Record<JointKind, number> = {
    hip_yaw: 0.05,
    hip_roll: 0.6,
    hip_pitch: 0.6,
    knee: 0.15,
    ankle_pitch: 0.01,
    ankle_roll: 0.01,
}
