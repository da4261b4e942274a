// The plants' bookkeeping that is kept cheap because it runs every 50 µs plant step: the stance a
// foot is in (found by bisection) and the foot ADC's conversions (from three sums per period, not from
// every input point) give what the plain way gives, at every boundary.
import { describe, expect, test } from "vitest"
import { Gait } from "../sim/plants/gait.ts"
import { DeltaSigmaAdc, sinc3Weight } from "../sim/plants/delta-sigma-adc.ts"
import { Random } from "../sim/random.ts"

describe("a foot's gait", () => {
    test("the stance found by bisection is the one a scan from the first stance finds, at and around every touchdown and liftoff", () => {
        const gait = new Gait({ steps: 200, stepPeriodS: 0.6, stanceFraction: 0.62, stepJitterPct: 5, startDelayS: 1 }, new Random(7, "gait"))
        const times = [0, gait.endUs + 1e6, ...gait.stances.flatMap(s => [s.touchdownUs - 1, s.touchdownUs, s.touchdownUs + 1, s.liftoffUs - 1, s.liftoffUs, s.liftoffUs + 1])]
        for (const tUs of times) expect(gait.phaseAt(tUs, gait.indexAt(tUs))).toEqual(gait.phaseAt(tUs, 0))
    })
})

describe("the foot's ADC", () => {
    test("converts the sinc3-weighted average of its input over the last three periods, steps of two lengths and straddling conversions included", () => {
        const channels = 4
        const adc = new DeltaSigmaAdc({ channels, countsPerN: 1000, fullScaleCounts: 8388607, noiseN: 0 }, new Random(1))
        adc.setDataRate(500) // 2 ms periods: some 40 steps each
        const inputs: { tUs: number; dtUs: number; forcesN: number[] }[] = []
        let nowUs = 0
        let checked = 0
        for (let k = 0; k < 4000; k++) {
            const dtUs = k % 7 === 3 ? 20 : 50 // short steps too, as events between grid points make
            const forcesN = [0, 1, 2, 3].map(ch => 100 * Math.sin(k / 50 + ch) + ch)
            inputs.push({ tUs: nowUs + dtUs / 2, dtUs, forcesN })
            nowUs += dtUs
            const before = adc.conversions
            adc.step(dtUs, forcesN)
            if (adc.conversions === before) continue
            // the plain way: every input point so far, weighted by its age at the conversion
            const atUs = Math.floor(nowUs / 2000) * 2000
            const expected = [0, 1, 2, 3].map(ch => {
                let sum = 0
                let weights = 0
                for (const p of inputs) {
                    const w = sinc3Weight((atUs - p.tUs) / 2000) * p.dtUs
                    if (w <= 0) continue
                    weights += w
                    sum += w * p.forcesN[ch]
                }
                return Math.round((sum / weights) * 1000)
            })
            expect(adc.read().codes).toEqual(expected)
            checked++
        }
        expect(checked).toBeGreaterThan(80)
    })
})
