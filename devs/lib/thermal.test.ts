import { describe, expect, test } from "@devicescript/test"
import { WindingThermalModel, deratedCurrentLimit } from "./thermal"
import { expectNear } from "./expect-figures"

describe("WindingThermalModel", () => {
    test("settles at ambient plus i^2 R R_th", () => {
        const m = new WindingThermalModel(0.12, 1.5, 60, 25)
        for (let i = 0; i < 1000; i++) m.update(20, 1) // 1000 s at 20 A
        // 20^2 * 0.12 W * 1.5 K/W = 72 K
        expectNear(m.tempC, 97, 0.01, "tempC")
    })
    test("rises by 63 % of the step in one time constant", () => {
        const m = new WindingThermalModel(0.12, 1.5, 60, 25)
        for (let i = 0; i < 600; i++) m.update(20, 0.1)
        expectNear(m.tempC, 25 + 72 * (1 - Math.exp(-1)), 0.01, "tempC after one time constant")
    })
})

describe("deratedCurrentLimit", () => {
    test("is the full limit below the derating point, zero at the trip, linear between", () => {
        expect(deratedCurrentLimit(70, 90, 100, 120)).toBe(70)
        expect(deratedCurrentLimit(70, 110, 100, 120)).toBe(35)
        expect(deratedCurrentLimit(70, 125, 100, 120)).toBe(0)
    })
})
