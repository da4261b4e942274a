import { describe, expect, test } from "@devicescript/test"
import { detectionForceN, GroundReaction } from "./grf"
import { expectNear } from "./expect-figures"

const X = [-90, -90, 90, 90]
const Y = [40, -40, 40, -40]

describe("ground reaction", () => {
    test("sums the cells and finds the centre of pressure", () => {
        const g = new GroundReaction(X, Y)
        // 300 N at (45, -20): bilinear shares of the corner cells
        const cells = [18.75, 56.25, 56.25, 168.75]
        expect(g.update(cells, 15)).toBe(300)
        g.centreOfPressure(cells, 15, 50)
        expectNear(g.copXMm, 45, 1e-9, "copXMm")
        expectNear(g.copYMm, -20, 1e-9, "copYMm")
    })
    test("gives no centre of pressure below the minimum force or with a faulty cell", () => {
        const g = new GroundReaction(X, Y)
        g.centreOfPressure([10, 10, 10, 10], 15, 50)
        expect(isNaN(g.copXMm)).toBe(true)
        expect(g.update([100, 100, 100, 999], 7)).toBe(300)
        g.centreOfPressure([100, 100, 100, 999], 7, 50)
        expect(isNaN(g.copXMm)).toBe(true)
    })
    test("scales the healthy cells' sum for detection", () => {
        expect(detectionForceN(300, 3, 4)).toBe(400)
        expect(detectionForceN(300, 0, 4)).toBe(0)
    })
})
