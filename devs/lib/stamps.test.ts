import { describe, expect, test } from "@devicescript/test"
import { U32_SPAN, stampDifferenceUs, wrapU32 } from "./stamps"

describe("stampDifferenceUs", () => {
    test("is the plain difference between stamps in order", () => {
        expect(stampDifferenceUs(5000, 1000)).toBe(4000)
        expect(stampDifferenceUs(1000, 1000)).toBe(0)
    })
    test("goes forward across the wrap", () => {
        expect(stampDifferenceUs(1500, U32_SPAN - 2500)).toBe(4000)
    })
    test("a stamp older than the last is below zero, not a wrap, on either side of the wrap", () => {
        expect(stampDifferenceUs(1000, 5000)).toBe(-4000)
        expect(stampDifferenceUs(U32_SPAN - 2500, 1500)).toBe(-4000)
    })
})

describe("wrapU32", () => {
    test("takes board time modulo the stamps' span", () => {
        expect(wrapU32(1234)).toBe(1234)
        expect(wrapU32(U32_SPAN + 1234)).toBe(1234)
    })
})
