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

// (Classes, not object literals of closures: the plant calls torqueNm 20,000 times a second per joint
// from one call site, which a single method keeps monomorphic, so the JIT inlines it; a closure per
// load made it megamorphic, and every call boxed its three arguments and its result on the JS heap.)

class BlockedLoad implements JointLoad {
    readonly blocked = true
    readonly inertiaKgM2 = 0
    torqueNm() {
        return 0
    }
}

export const blockedLoad: JointLoad = new BlockedLoad()

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

class LinkLoad implements JointLoad {
    readonly blocked = false
    readonly inertiaKgM2: number
    constructor(private readonly p: LinkLoadParams) {
        this.inertiaKgM2 = p.massKg * p.leverM * p.leverM
    }
    torqueNm(angleRad: number, velocityRadS: number, tS: number) {
        const p = this.p
        return (
            (p.gravity ? -p.massKg * GRAVITY_M_S2 * p.leverM * Math.sin(angleRad) : 0) -
            (p.springNmPerRad ?? 0) * angleRad -
            (p.damperNmsPerRad ?? 0) * velocityRadS +
            (p.externalNm?.(tS) ?? 0)
        )
    }
}

export function linkLoad(p: LinkLoadParams): JointLoad {
    return new LinkLoad(p)
}
