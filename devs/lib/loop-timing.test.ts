import { describe, expect, test } from "@devicescript/test"
import { LoopTiming } from "./loop-timing"

describe("LoopTiming", () => {
    test("reports the mean period, the p99 deviation and overruns per window", () => {
        const t = new LoopTiming(1000, 100)
        for (let i = 0; i < 97; i++) LoopTiming.add(t, 1000)
        LoopTiming.add(t, 1100)
        LoopTiming.add(t, 1600) // overrun: more than 1.5 nominal
        expect(LoopTiming.add(t, 2000)).toBe(true) // overrun, window complete
        expect(t.meanPeriodUs).toBe(1017)
        expect(t.overruns).toBe(2)
        expect(t.p99DeviationUs).toBe(600) // the 99th of 100 deviations (the second largest)
    })
    test("the p99 deviation of 1000 periods is their 11th largest, whatever their order", () => {
        const t = new LoopTiming(1000, 1000)
        for (let i = 0; i < 1000; i++) LoopTiming.add(t, 1000 + ((i * 7919) % 1000)) // deviations 0..999 us, shuffled
        expect(t.p99DeviationUs).toBe(989)
    })
    test("starts every window afresh", () => {
        const t = new LoopTiming(1000, 10)
        for (let i = 0; i < 10; i++) LoopTiming.add(t, 3000)
        for (let i = 0; i < 10; i++) LoopTiming.add(t, 1000)
        expect(t.meanPeriodUs).toBe(1000)
        expect(t.overruns).toBe(0)
        expect(t.totalOverruns).toBe(10)
    })
})
