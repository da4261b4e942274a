// The foot on the ground: the true vertical ground reaction force and centre of pressure of one foot.
// In stance the force is the body's load, the double hump of walking (peaks ~1.15 x body weight, a
// mid-stance valley ~0.75 x), plus the heel strike: the leg's effective mass arriving at the
// touchdown speed on a spring-damper ground (rubber sole on concrete), a transient of a few hundred
// newtons within 20-40 ms. The centre of pressure rolls from heel to toe as the foot pitches over,
// drifting from the outer to the inner edge as it rolls. Knows nothing of load cells or Jacdac.
import type { Gait, Stance } from "./gait.ts"

export interface FootGroundParams {
    bodyWeightN: number
    touchdownSpeedMps: number
    groundStiffnessNPerM: number
    groundDampingRatio: number
    /** effective mass of the leg brought to rest at heel strike */
    legMassKg: number
    /** peak acceleration of the sole along its normal in swing (up after liftoff, braking before touchdown) */
    swingAccelMps2: number
}

/** share of the stance over which the body's load comes on, and goes off */
const LOADING_SHARE = 0.15
/** the damper acts in full only once the sole has compressed this far, so the force starts at zero */
const DAMPER_ENGAGE_M = 0.001
/** centre of pressure at heel strike and at toe-off, sole frame (x to the toe, y outward) */
const COP_HEEL_MM = { x: -75, y: 15 }
const COP_TOE_MM = { x: 80, y: -12 }

export class FootGround {
    /** true vertical ground reaction force */
    forceN = 0
    copXMm = 0
    copYMm = 0
    /** acceleration of the sole along its normal: in swing only */
    soleAccelMps2 = 0
    stance: Stance | undefined
    /** heel strike: compression of the ground under the leg's mass, and its rate */
    private impactM = 0
    private impactMps = 0
    private impactDone = true
    private hint = 0
    private tUs = 0
    private readonly dampingNsPerM: number

    constructor(
        readonly p: FootGroundParams,
        readonly gait: Gait
    ) {
        this.dampingNsPerM = 2 * p.groundDampingRatio * Math.sqrt(p.groundStiffnessNPerM * p.legMassKg)
    }

    step(dtS: number) {
        this.tUs += dtS * 1e6
        // (no record a step: this runs every 50 µs)
        const next = this.gait.nextFrom(this.tUs, this.hint)
        const stance = this.gait.stanceAt(this.tUs, next)
        this.hint = next
        if (stance !== this.stance) {
            this.stance = stance
            this.impactM = 0
            this.impactMps = this.p.touchdownSpeedMps
            this.impactDone = !stance
        }
        if (!stance) {
            this.forceN = 0
            this.soleAccelMps2 = this.swingAccel(next)
            return
        }
        this.soleAccelMps2 = 0
        const s = (this.tUs - stance.touchdownUs) / (stance.liftoffUs - stance.touchdownUs)
        const impactN = this.stepImpact(dtS)
        this.forceN = Math.max(0, impactN + this.p.bodyWeightN * bodyLoadShape(s))
        const roll = 0.5 * s + 0.5 * s * s * (3 - 2 * s)
        this.copXMm = COP_HEEL_MM.x + (COP_TOE_MM.x - COP_HEEL_MM.x) * roll
        this.copYMm = COP_HEEL_MM.y + (COP_TOE_MM.y - COP_HEEL_MM.y) * s
    }

    // the swing between the last liftoff (or, before the first step, a nominal swing) and the next
    // touchdown; the foot hangs still before the walk and after it
    private swingAccel(next: number): number {
        const to = this.gait.stances[next]
        if (!to) return 0
        const from = this.gait.stances[next - 1]
        const nominalUs = 2 * this.gait.p.stepPeriodS * (1 - this.gait.p.stanceFraction) * 1e6
        const startUs = from ? from.liftoffUs : to.touchdownUs - nominalUs
        if (this.tUs < startUs) return 0
        const s = (this.tUs - startUs) / (to.touchdownUs - startUs)
        return this.p.swingAccelMps2 * Math.sin(2 * Math.PI * s)
    }

    // the leg's mass on the ground spring-damper (semi-implicit Euler), until it rebounds or stops
    private stepImpact(dtS: number): number {
        if (this.impactDone) return 0
        const k = this.p.groundStiffnessNPerM
        const c = this.dampingNsPerM * Math.min(1, this.impactM / DAMPER_ENGAGE_M)
        const f = Math.max(0, k * this.impactM + c * this.impactMps)
        this.impactMps -= (f / this.p.legMassKg) * dtS
        this.impactM += this.impactMps * dtS
        if (this.impactM <= 0) this.impactDone = true
        return f
    }
}

/** Vertical load of walking over one stance (s in 0..1), in body weights: double hump in an envelope. */
export function bodyLoadShape(s: number): number {
    if (s <= 0 || s >= 1) return 0
    const hump = 0.75 + 0.4 * Math.sin(2 * Math.PI * s) ** 2
    const edge = Math.min(s, 1 - s) / LOADING_SHARE
    const envelope = edge >= 1 ? 1 : Math.sin((Math.PI / 2) * edge)
    return hump * envelope
}
