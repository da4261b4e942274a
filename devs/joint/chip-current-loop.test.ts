import { describe, expect, test } from "@devicescript/test"
import { AMPS_PER_IQ_COUNT } from "./board-constants"
import { chipCurrentLoop, iqCounts } from "./chip-current-loop"
import { toConfig } from "./config"
import { defaultJointSettings } from "./settings-schema"
import { expectBelow } from "../lib/expect-figures"

describe("the chip's current loop", () => {
    test("its zero cancels the winding's pole and its gain sets the bandwidth, in the chip's Q8.8", () => {
        const small = toConfig(defaultJointSettings("small")) // R 0.25 ohm, L 120 uH
        const loop = chipCurrentLoop(small, 48)
        // Kp = 2 pi 1000 Hz 120 uH = 0.754 V/A; P = 256 Kp (100 / 32768 A) 32768 / 48 V
        expect(loop.p).toBe(402)
        // I = 65536 (R / L) / 20 kHz
        expect(loop.i).toBe(6827)
        // the gain is in supply counts: half the supply, twice the P
        expect(chipCurrentLoop(small, 24).p).toBe(804)
        expect(loop.torqueLimitCounts).toBe(13107) // 40 A
    })

    test("a current becomes Iq counts, rounded and within a signed 16-bit field", () => {
        expect(iqCounts(10)).toBe(3277)
        expect(iqCounts(-10)).toBe(-3277)
        expect(iqCounts(1000)).toBe(32767)
        expect(iqCounts(-1000)).toBe(-32767)
        expectBelow(Math.abs(iqCounts(1) * AMPS_PER_IQ_COUNT - 1), AMPS_PER_IQ_COUNT, "1 A in counts, back in amperes: its error")
    })
})
