import { describe, expect, test } from "@devicescript/test"
import { clamp, isFiniteNumber } from "./math"

describe("clamp", () => {
    test("passes values inside the range", () => {
        expect(clamp(0.3, -1, 1)).toBe(0.3)
    })
    test("limits values outside the range to its ends", () => {
        expect(clamp(7, -1, 1)).toBe(1)
        expect(clamp(-7, -1, 1)).toBe(-1)
    })
})

describe("isFiniteNumber", () => {
    test("rejects NaN and infinities", () => {
        expect(isFiniteNumber(NaN)).toBe(false)
        expect(isFiniteNumber(1 / 0)).toBe(false)
        expect(isFiniteNumber(-1 / 0)).toBe(false)
        expect(isFiniteNumber(2.5)).toBe(true)
    })
})
