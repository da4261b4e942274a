// Loads on a joint's output (design/plant.md): a blocked output, and a link of some mass on a lever
// under gravity, optionally held by an environment spring (a leg pressing on the ground). Angles are
// measured from the link hanging straight down.
export const GRAVITY_M_S2 = 9.81

/** what a joint's output drives */
export interface JointLoad {
    blocked: boolean
    inertiaKgM2: number
    /** external torque on the output at (angle, speed, time) */
    torqueNm(angleRad: number, velocityRadS: number, tS: number): number
}

export const blockedLoad: JointLoad = { blocked: true, inertiaKgM2: 0, torqueNm: () => 0 }

export interface LinkLoadParams {
    massKg: number
    leverM: number
    /** gravity acts on the link (false: a horizontal link) */
    gravity: boolean
    /** environment stiffness and damping about angle 0 */
    springNmPerRad?: number
    damperNmsPerRad?: number
    /** an external torque added at time t (for stiffness tests) */
    externalNm?: (tS: number) => number
}

export function linkLoad(p: LinkLoadParams): JointLoad {
    return {
        blocked: false,
        inertiaKgM2: p.massKg * p.leverM * p.leverM,
        torqueNm: (angleRad, velocityRadS, tS) =>
            (p.gravity ? -p.massKg * GRAVITY_M_S2 * p.leverM * Math.sin(angleRad) : 0) -
            (p.springNmPerRad ?? 0) * angleRad -
            (p.damperNmsPerRad ?? 0) * velocityRadS +
            (p.externalNm?.(tS) ?? 0),
    }
}
