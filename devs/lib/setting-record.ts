// Reads a board's settings record (one DeviceScript setting holding {"id", "v", "check"}: the
// schemas in devs/joint and devs/foot, the check in record-check.ts) and says what is wrong with it
// as a whole, before its values are looked at. @devicescript/settings' readSetting cannot tell a
// missing setting from a damaged one (it returns its default for both), so the bytes are read here.
import * as ds from "@devicescript/core"
import { settings } from "@devicescript/settings"
import { recordCheckHolds } from "./record-check"

/**
 * InvalidSetting's detail when the record as a whole is unusable (services/boardfault.md): missing,
 * not JSON (truncated, a damaged byte), a check that does not match, not of the record's shape.
 * Details below these are indexes into the board's settings table.
 */
export const WHOLE_RECORD_DETAIL = 0xffff
/** InvalidSetting's detail when the record's id is not a string */
export const RECORD_ID_DETAIL = 0xfffe

export interface SettingRecord {
    /** the record's fields, null when it is missing or unusable */
    value: any
    /** the record's id when it is a string, else null */
    id: string
    /** WHOLE_RECORD_DETAIL or RECORD_ID_DETAIL when the record is unusable, -1 when it is sound */
    detail: number
    /** what is wrong, for the board's log ("" when nothing is) */
    problem: string
    missing: boolean
}

/** the stored bytes of setting `key` (empty when there is none) */
async function readBytes(key: string): Promise<Buffer> {
    const pkt = await ds.actionReport(settings, "get", async () => await settings.get(key), p => p.decode()[0] === key)
    const b: Buffer = pkt.decode()[1]
    return b ? b : Buffer.alloc(0)
}

/** the record stored under `key`, checked as a whole */
export async function readSettingRecord(key: string): Promise<SettingRecord> {
    const b = await readBytes(key)
    if (b.length === 0) return unusable(`no '${key}' setting stored (unprovisioned)`, true)
    const text = b.toString()
    let value: any = null
    try {
        value = JSON.parse(text)
    } catch (e) {
        return unusable(`the stored '${key}' record is not JSON (${b.length} bytes: truncated or damaged)`, false)
    }
    if (value === null || typeof value !== "object" || !Array.isArray(value.v))
        return unusable(`the stored '${key}' record is not {"id", "v": [...], "check"}`, false)
    if (typeof value.check !== "number" || !recordCheckHolds(text, value.check))
        return unusable(`the stored '${key}' record's check does not match its text (damaged)`, false)
    if (typeof value.id !== "string")
        return { value, id: null, detail: RECORD_ID_DETAIL, problem: `the stored '${key}' record's id is not a string`, missing: false }
    return { value, id: value.id, detail: -1, problem: "", missing: false }
}

function unusable(problem: string, missing: boolean): SettingRecord {
    return { value: null, id: null, detail: WHOLE_RECORD_DETAIL, problem, missing }
}
