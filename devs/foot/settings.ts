// The foot board's settings at start-up: per-cell gains and cell positions of one foot, and the foot's
// id, from the one stored setting of settings-schema.ts. A board with no settings (unprovisioned) runs
// on the reference sole; a stored setting that is invalid is refused, reported as an InvalidSetting
// fault with the setting's index, and the reference sole is used instead.
import { readSetting } from "@devicescript/settings"
import { FOOT_SETTING_KEY, FOOT_SETTINGS, firstInvalidFootSetting, type StoredFootSettings } from "./settings-schema"

export const UNPROVISIONED = "unprovisioned"

export interface FootSettings {
    /** the foot this board is provisioned as (left_foot, right_foot), or UNPROVISIONED */
    id: string
    /** newtons per ADC count, per cell */
    gains: number[]
    xMm: number[]
    yMm: number[]
    /** index in FOOT_SETTINGS of the first invalid setting, -1 when all are valid */
    invalid: number
}

/** the settings of a stored value (null: none stored) */
export function footSettingsOf(stored: StoredFootSettings): FootSettings {
    const reference = FOOT_SETTINGS.map(s => s.cells)
    if (stored === null) return { id: UNPROVISIONED, gains: reference[0], xMm: reference[1], yMm: reference[2], invalid: -1 }
    const v = Array.isArray(stored.v) ? stored.v : []
    const invalid = firstInvalidFootSetting(v)
    const use = invalid < 0 ? v : reference
    return { id: typeof stored.id === "string" ? stored.id : UNPROVISIONED, gains: use[0], xMm: use[1], yMm: use[2], invalid }
}

export async function loadFootSettings(): Promise<FootSettings> {
    return footSettingsOf(await readSetting(FOOT_SETTING_KEY, null))
}
