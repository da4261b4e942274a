// Walking in place (design/plant.md, gait): each leg alternates stance and swing, half a stride
// apart; stance is 60 % of the stride, so both feet are down for 10 % of it twice per stride. The
// leg's joint angles follow smooth references (the swing leg lifts its foot by flexing hip, knee
// and ankle; the body sways sideways on hip and ankle roll), and the stance leg carries the body's
// weight with the double-hump vertical force of human walking. The body controller plays these
// references; the joint loads and the foot plant are computed from the same gait, so what the feet
// report and what the joints feel agree.
import type { JointKind, Leg } from "./joints.ts"

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

/** 0 at heel strike of this leg, in [0, 1) */
export function legPhase(g: GaitParams, leg: Leg, tS: number): number {
    const offset = leg === "left" ? 0 : 0.5
    const p = tS / g.strideS + offset
    return p - Math.floor(p)
}

export const inStance = (g: GaitParams, phase: number) => phase < g.stanceFraction

/** 0 in stance, rising smoothly to 1 at mid-swing and back to 0 at heel strike */
export function swingLift(g: GaitParams, phase: number): number {
    if (inStance(g, phase)) return 0
    const s = Math.sin((Math.PI * (phase - g.stanceFraction)) / (1 - g.stanceFraction))
    return s * s
}

/**
 * Vertical ground force on one foot over its stance: the double hump of walking (peaks near 1.15
 * body weight at 25 % and 75 % of stance, a valley near 0.75 in between), shared with the other foot
 * in double support so that the two feet together carry the body.
 */
export function verticalForceN(g: GaitParams, phase: number): number {
    if (!inStance(g, phase)) return 0
    const s = phase / g.stanceFraction // 0..1 over stance
    const hump = Math.sin(Math.PI * s) * (1 + 0.2 * Math.cos(4 * Math.PI * s) * Math.sin(Math.PI * s)) * 1.0
    return Math.max(0, hump) * g.bodyMassKg * G
}

/** the joint's angle reference at time t */
export function jointAngleRad(g: GaitParams, leg: Leg, kind: JointKind, tS: number): number {
    const phase = legPhase(g, leg, tS)
    const lift = swingLift(g, phase)
    const sway = g.swayRad * Math.sin((2 * Math.PI * tS) / g.strideS) * (leg === "left" ? 1 : -1)
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
 * Torque the leg puts on the joint's output at angle q (opposing the joint's support): in stance the
 * body's weight through the foot acting on the joint's lever, in swing the weight of the leg below.
 */
export function legLoadTorqueNm(g: GaitParams, leg: Leg, kind: JointKind, angleRad: number, tS: number): number {
    const phase = legPhase(g, leg, tS)
    const fz = verticalForceN(g, phase)
    const [m, l] = SWING_MASS[kind]
    const swing = -m * G * l * Math.sin(angleRad)
    if (kind === "knee") return -fz * STANCE_LEVER_M.knee * Math.sin(angleRad) + swing
    if (kind === "hip_yaw") return 0
    return -fz * STANCE_LEVER_M[kind] * Math.sin(angleRad) + swing
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
