import { describe, expect, test } from "@devicescript/test"
import { PiController } from "./pi"
import { expectAtMost, expectBelow, expectNear } from "./expect-figures"

describe("PiController", () => {
    test("a step acts through both gains in the first update", () => {
        const pi = new PiController(2, 100)
        expect(pi.update(1, 0.001, 0, 10)).toBe(2.1)
    })
    test("integrates the error with the measured period", () => {
        const pi = new PiController(0, 100)
        pi.update(1, 0.001, 0, 10)
        pi.update(1, 0.003, 0, 10)
        expectNear(pi.integral, 0.4, 1e-9, "integral")
    })
    test("saturates the output and stops integrating into the limit", () => {
        const pi = new PiController(1, 1000)
        for (let i = 0; i < 100; i++) expect(pi.update(5, 0.001, 0, 2)).toBe(2)
        expect(pi.saturated).toBe(true)
        expectAtMost(pi.integral, 2, "integral")
        // leaves saturation as soon as the error reverses
        expectBelow(pi.update(-5, 0.001, 0, 2), 2, "output after the error reverses")
    })
    test("adds the feedforward before saturating", () => {
        const pi = new PiController(0, 0)
        expect(pi.update(0, 0.001, 1.5, 2)).toBe(1.5)
        expect(pi.update(0, 0.001, 3, 2)).toBe(2)
    })
})
