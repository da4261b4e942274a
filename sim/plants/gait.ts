// The gait of one foot, as a sequence of strides: each stride is a swing then a stance. A stride
// lasts two step periods (one step of each foot), the stance a fraction of it (60-65 % in walking,
// plant.md); with two feet each double-support phase is then (stanceFraction - 0.5) of the stride.
// Stride lengths vary by a seeded few percent, as a walking robot's do. Times are exact (microseconds),
// so the true touchdown and liftoff instants are known to the microsecond.
import type { Random } from "../random.ts"

export interface GaitParams {
    /** stances to walk; afterwards the foot stays in the air */
    steps: number
    stepPeriodS: number
    stanceFraction: number
    /** each stride's period varies by a uniform +-stepJitterPct */
    stepJitterPct: number
    /** swing before the first stance (the board boots and zeroes its cells meanwhile) */
    startDelayS: number
}

export interface Stance {
    index: number
    touchdownUs: number
    liftoffUs: number
}

export class Gait {
    /** every stance, planned at construction */
    readonly stances: Stance[] = []
    readonly endUs: number

    constructor(
        readonly p: GaitParams,
        random: Random
    ) {
        let t = p.startDelayS * 1e6
        for (let i = 0; i < p.steps; i++) {
            const strideUs = 2 * p.stepPeriodS * 1e6 * (1 + ((2 * random.uniform() - 1) * p.stepJitterPct) / 100)
            const swingUs = Math.round(strideUs * (1 - p.stanceFraction))
            const stanceUs = Math.round(strideUs * p.stanceFraction)
            const touchdownUs = Math.round(t + swingUs)
            this.stances.push({ index: i, touchdownUs, liftoffUs: touchdownUs + stanceUs })
            t = touchdownUs + stanceUs
        }
        this.endUs = Math.round(t)
    }

    /** The index of the stance at tUs or, in a swing, of the stance after it (past the last after the walk): a bisection. */
    indexAt(tUs: number): number {
        let lo = 0
        let hi = this.stances.length
        // the first stance that has not lifted off by tUs (liftoffs only grow)
        while (lo < hi) {
            const mid = (lo + hi) >> 1
            if (this.stances[mid].liftoffUs <= tUs) lo = mid + 1
            else hi = mid
        }
        return lo
    }

    /** The stance at time tUs, or the swing before stance `next` (`next` may be past the last). */
    phaseAt(tUs: number, hint: number): { stance: Stance | undefined; next: number } {
        const next = this.nextFrom(tUs, hint)
        return { stance: this.stanceAt(tUs, next), next }
    }

    /** indexAt(tUs) found by walking on from `hint` (an index at or before it): the plant's step, every 50 µs */
    nextFrom(tUs: number, hint: number): number {
        let i = Math.max(0, Math.min(hint, this.stances.length))
        while (i < this.stances.length && this.stances[i].liftoffUs <= tUs) i++
        return i
    }

    /** the stance at tUs given `next` = indexAt(tUs), or undefined in a swing */
    stanceAt(tUs: number, next: number): Stance | undefined {
        const s = this.stances[next]
        return s && s.touchdownUs <= tUs ? s : undefined
    }
}
