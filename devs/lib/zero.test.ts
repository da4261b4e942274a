import { describe, expect, test } from "@devicescript/test"
import { TRACK_MAX_RATE_N_PER_S, ZeroTracker } from "./zero"
import { expectAbove, expectNear } from "./expect-figures"

describe("zero tracker", () => {
    test("averages the zeroing window into the offsets", () => {
        const z = new ZeroTracker(2)
        const out = [0, 0]
        z.start(2)
        z.apply([10, -4], out)
        expectAbove(z.remaining, 0, "samples remaining")
        z.apply([12, -6], out)
        expect(z.remaining).toBe(0)
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
        expectNear(out[0], 0, 0.2, "zeroed cell 0")
    })
    test("moves no faster than its rate limit, so a load put on slowly is not zeroed away", () => {
        const z = new ZeroTracker(1)
        for (let i = 0; i < 100; i++) ZeroTracker.track(z, [500], 0.01)
        expectNear(z.offsetsN[0], TRACK_MAX_RATE_N_PER_S, 1e-6, "offset of cell 0")
    })
})
