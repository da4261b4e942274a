// robot-walk's tracking figures: each joint's angle error against the body controller's reference,
// squared and summed over the run and over each minute of virtual time, so that an hour's walk says
// not only its RMS but whether any minute of it was worse than the walk's target.
import { round } from "../numbers.ts"
import { minuteOf } from "../vm/cpu-stats.ts"

const DEG_PER_RAD = 180 / Math.PI

interface Sums {
    sum: number
    n: number
}

interface JointScore extends Sums {
    max: number
    minutes: Sums[]
}

export class TrackingScore {
    private readonly joints = new Map<string, JointScore>()

    constructor(names: readonly string[]) {
        for (const name of names) this.joints.set(name, { sum: 0, n: 0, max: 0, minutes: [] })
    }

    /** one sample of `joint`'s error at `tUs` */
    add(joint: string, tUs: number, errorRad: number) {
        const s = this.joints.get(joint)!
        const e2 = errorRad * errorRad
        s.sum += e2
        s.n++
        s.max = Math.max(s.max, Math.abs(errorRad))
        const minute = minuteOf(tUs)
        while (s.minutes.length <= minute) s.minutes.push({ sum: 0, n: 0 })
        s.minutes[minute].sum += e2
        s.minutes[minute].n++
    }

    /** samples scored, all joints */
    get samples(): number {
        return [...this.joints.values()].reduce((n, s) => n + s.n, 0)
    }

    rmsDeg(): number {
        const all = [...this.joints.values()]
        return rmsDeg({ sum: all.reduce((s, x) => s + x.sum, 0), n: this.samples })
    }

    maxDeg(): number {
        return round(Math.max(...[...this.joints.values()].map(s => s.max)) * DEG_PER_RAD, 3)
    }

    maxDegByJoint(): Record<string, number> {
        return Object.fromEntries([...this.joints].map(([name, s]) => [name, round(s.max * DEG_PER_RAD, 3)]))
    }

    rmsDegByJoint(): Record<string, number> {
        return Object.fromEntries([...this.joints].map(([name, s]) => [name, rmsDeg(s)]))
    }

    /**
     * In each minute of the run (the first element is 0 to 60 s), the worst joint's RMS and which
     * joint it was; null in a minute with nothing scored (before the walk).
     */
    byMinute(): { rmsDeg: (number | null)[]; worstJoint: (string | null)[] } {
        const minutes = Math.max(0, ...[...this.joints.values()].map(s => s.minutes.length))
        const rms: (number | null)[] = []
        const worst: (string | null)[] = []
        for (let m = 0; m < minutes; m++) {
            let best: [string, number] | undefined
            for (const [name, s] of this.joints) {
                const x = s.minutes[m]
                if (!x?.n) continue
                const r = rmsDeg(x)
                if (!best || r > best[1]) best = [name, r]
            }
            rms.push(best ? best[1] : null)
            worst.push(best ? best[0] : null)
        }
        return { rmsDeg: rms, worstJoint: worst }
    }
}

const rmsDeg = (s: Sums) => round(Math.sqrt(s.sum / s.n) * DEG_PER_RAD, 3)
