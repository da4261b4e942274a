// The foot board's settings at start-up: per-cell gains and cell positions of one foot, and the foot's
// id, from the one stored record of settings-schema.ts. A board with no settings (unprovisioned) runs
// on the reference sole; a stored record that is damaged (not JSON, its check not matching, its id not
// a string) or holds an invalid setting is refused, reported as an InvalidSetting fault (the setting's
// index, or the whole record's detail: devs/lib/setting-record.ts), and the reference sole is used.
import { readSettingRecord, type SettingRecord } from "../lib/setting-record"
import { FOOT_SETTING_KEY, FOOT_SETTINGS, firstInvalidFootSetting } from "./settings-schema"

export const UNPROVISIONED = "unprovisioned"

export interface FootSettings {
    /** the foot this board is provisioned as (left_foot, right_foot), or UNPROVISIONED */
    id: string
    /** newtons per ADC count, per cell */
    gains: number[]
    xMm: number[]
    yMm: number[]
    /** InvalidSetting's detail: index in FOOT_SETTINGS of the first invalid setting, or the record's; -1 when all are valid */
    invalid: number
    /** what is wrong with the record as a whole, for the log ("" when nothing is) */
    problem: string
}

/** the settings of a stored record, as read */
export function footSettingsOf(record: SettingRecord): FootSettings {
    const reference = FOOT_SETTINGS.map(s => s.cells)
    const id = record.id !== null ? record.id : UNPROVISIONED
    const v = record.value !== null ? record.value.v : []
    const invalid = record.missing ? -1 : record.detail >= 0 ? record.detail : firstInvalidFootSetting(v)
    const use = invalid < 0 && !record.missing ? v : reference
    return { id, gains: use[0], xMm: use[1], yMm: use[2], invalid, problem: record.missing ? "" : record.problem }
}

export async function loadFootSettings(): Promise<FootSettings> {
    return footSettingsOf(await readSettingRecord(FOOT_SETTING_KEY))
}
