import { describe, expect, test } from "@devicescript/test"
import { TRACK_MAX_RATE_N_PER_S, ZeroTracker } from "./zero"

describe("zero tracker", () => {
    test("averages the zeroing window into the offsets", () => {
        const z = new ZeroTracker(2)
        const out = [0, 0]
        z.start(2)
        z.apply([10, -4], out)
        expect(z.remaining > 0).toBe(true)
        z.apply([12, -6], out)
        expect(z.remaining > 0).toBe(false)
        expect(z.offsetsN[0]).toBe(11)
        expect(z.offsetsN[1]).toBe(-5)
        z.apply([11, 0], out)
        expect(out[0]).toBe(0)
        expect(out[1]).toBe(5)
    })
    test("follows a slow drift in the air", () => {
        const z = new ZeroTracker(1)
        const out = [0]
        // 2 N/min for ten minutes, tracked once a second
        for (let i = 0; i < 600; i++) ZeroTracker.track(z, [(2 / 60) * i], 1)
        z.apply([20], out)
        expect(Math.abs(out[0]) < 0.2).toBe(true)
    })
    test("moves no faster than its rate limit, so a load put on slowly is not zeroed away", () => {
        const z = new ZeroTracker(1)
        for (let i = 0; i < 100; i++) ZeroTracker.track(z, [500], 0.01)
        expect(Math.abs(z.offsetsN[0] - TRACK_MAX_RATE_N_PER_S) < 1e-6).toBe(true)
    })
})
