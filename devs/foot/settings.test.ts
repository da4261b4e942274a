import { describe, expect, test } from "@devicescript/test"
import { deleteSetting, writeSetting } from "@devicescript/settings"
import { CELL_GAIN_N_PER_COUNT, CELL_X_MM } from "./config"
import { cellList, loadFootSettings } from "./settings"

describe("foot settings", () => {
    test("a per-cell list needs one finite number per cell", () => {
        expect(cellList([1, 2, 3, 4], true)[3]).toBe(4)
        expect(cellList([1, 2, 3], false)).toBe(undefined)
        expect(cellList([1, 2, NaN, 4], false)).toBe(undefined)
        expect(cellList("1,2,3,4", false)).toBe(undefined)
        expect(cellList([1, -2, 3, 4], true)).toBe(undefined)
        expect(cellList([1, -2, 3, 4], false)[1]).toBe(-2)
    })
    test("missing settings give the reference sole", async () => {
        const s = await loadFootSettings()
        expect(s.invalid).toBe(-1)
        expect(s.gains[0]).toBe(CELL_GAIN_N_PER_COUNT[0])
        expect(s.xMm[2]).toBe(CELL_X_MM[2])
    })
    test("stored gains are used; an invalid position is refused and named", async () => {
        await writeSetting("cellGains", [1e-4, 2e-4, 3e-4, 4e-4])
        await writeSetting("cellYMm", [40, -40, 40])
        const s = await loadFootSettings()
        expect(s.gains[3]).toBe(4e-4)
        expect(s.invalid).toBe(2)
        expect(s.yMm.length).toBe(4)
        await deleteSetting("cellGains")
        await deleteSetting("cellYMm")
    })
})
