// The body controller's view of a board's clock (sim/robot/board-clock.ts).
import { describe, expect, test } from "vitest"
import { BoardClock } from "../sim/robot/board-clock.ts"

describe("board clock", () => {
    test("maps a board stamp to the body controller's clock with the fastest report's offset", () => {
        const c = new BoardClock()
        expect(c.hostUs(5000)).toBeUndefined()
        // the board's clock runs 1.000 s behind; reports take 2 to 5 ms to arrive
        for (let i = 0; i < 50; i++) c.observe(i * 40_000, 1_000_000 + i * 40_000 + 2000 + ((i * 7) % 4) * 1000)
        expect(c.hostUs(500_000)).toBe(1_502_000)
    })
    test("unwraps the board's 32-bit microsecond stamps", () => {
        const c = new BoardClock()
        const span = 2 ** 32
        c.observe(span - 20_000, 10_000_000)
        c.observe(20_000, 10_040_000) // wrapped
        // a stamp from before the wrap, after it
        expect(c.hostUs(span - 30_000)).toBe(10_000_000 - 10_000)
        expect(c.hostUs(30_000)).toBe(10_050_000)
    })
})
