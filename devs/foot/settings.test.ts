import { describe, expect, test } from "@devicescript/test"
import { deleteSetting, writeSetting } from "@devicescript/settings"
import { CELL_GAIN_N_PER_COUNT, CELL_X_MM, CELL_Y_MM } from "./config"
import { footSettingsOf, loadFootSettings, UNPROVISIONED } from "./settings"
import { FOOT_SETTING_KEY, firstInvalidFootSetting } from "./settings-schema"
import { sealRecord } from "../lib/record-check"
import { WHOLE_RECORD_DETAIL, RECORD_ID_DETAIL } from "../lib/setting-record"

const GAINS = [1e-4, 2e-4, 3e-4, 4e-4]

describe("foot settings", () => {
    test("each setting needs one in-range number per cell, and the cells in their order on the sole", () => {
        expect(firstInvalidFootSetting([GAINS, CELL_X_MM, CELL_Y_MM])).toBe(-1)
        expect(firstInvalidFootSetting([[1e-4, 1e-4, 1e-4], CELL_X_MM, CELL_Y_MM])).toBe(0)
        expect(firstInvalidFootSetting([GAINS, [-90, -90, NaN, 90], CELL_Y_MM])).toBe(1)
        expect(firstInvalidFootSetting([GAINS, CELL_X_MM, [40, -40, 40, 400]])).toBe(2)
        expect(firstInvalidFootSetting([[1e-4, -2e-4, 1e-4, 1e-4], CELL_X_MM, CELL_Y_MM])).toBe(0)
        // heel and toe swapped
        expect(firstInvalidFootSetting([GAINS, [90, 90, -90, -90], CELL_Y_MM])).toBe(1)
    })
    test("an unprovisioned board runs on the reference sole", async () => {
        const s = await loadFootSettings()
        expect(s.invalid).toBe(-1)
        expect(s.id).toBe(UNPROVISIONED)
        expect(s.gains[0]).toBe(CELL_GAIN_N_PER_COUNT[0])
        expect(s.xMm[2]).toBe(CELL_X_MM[2])
    })
    test("stored settings and id are used", async () => {
        await writeSetting(FOOT_SETTING_KEY, sealRecord({ id: "left_foot", v: [GAINS, CELL_X_MM, CELL_Y_MM] }))
        const s = await loadFootSettings()
        expect(s.id).toBe("left_foot")
        expect(s.gains[3]).toBe(4e-4)
        expect(s.invalid).toBe(-1)
        await deleteSetting(FOOT_SETTING_KEY)
    })
    test("a record without its check, or with a check that does not match, is refused as a whole", async () => {
        await writeSetting(FOOT_SETTING_KEY, { id: "left_foot", v: [GAINS, CELL_X_MM, CELL_Y_MM] })
        expect((await loadFootSettings()).invalid).toBe(WHOLE_RECORD_DETAIL)
        const sealed = sealRecord({ id: "left_foot", v: [GAINS, CELL_X_MM, CELL_Y_MM] })
        sealed.v[0][1] = 3e-4 // a value changed after sealing, still in range
        await writeSetting(FOOT_SETTING_KEY, sealed)
        const s = await loadFootSettings()
        expect(s.invalid).toBe(WHOLE_RECORD_DETAIL)
        expect(s.gains[1]).toBe(CELL_GAIN_N_PER_COUNT[1])
        await writeSetting(FOOT_SETTING_KEY, sealRecord({ id: 7, v: [GAINS, CELL_X_MM, CELL_Y_MM] }))
        expect((await loadFootSettings()).invalid).toBe(RECORD_ID_DETAIL)
        await deleteSetting(FOOT_SETTING_KEY)
    })
    test("an invalid stored setting is named by its index and the reference sole is used", () => {
        const v = [GAINS, CELL_X_MM, [40, -40, 40]]
        const s = footSettingsOf({ value: { id: "right_foot", v }, id: "right_foot", detail: -1, problem: "", missing: false })
        expect(s.invalid).toBe(2)
        expect(s.id).toBe("right_foot")
        expect(s.gains[3]).toBe(CELL_GAIN_N_PER_COUNT[3])
        expect(s.yMm.length).toBe(4)
    })
})
