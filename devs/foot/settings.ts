// The foot board's settings: per-cell gains and cell positions, one set per foot. A missing key takes
// the reference sole's value (config.ts); a key that is present but invalid is refused, reported as an
// InvalidSetting fault with the key's index, and the reference value is used instead.
import { readSetting } from "@devicescript/settings"
import { isFiniteNumber } from "../lib/math"
import { CELL_GAIN_N_PER_COUNT, CELL_X_MM, CELL_Y_MM, CELLS } from "./config"

/** setting keys (at most 13 characters), in the order of the InvalidSetting fault's detail */
export const SETTING_KEYS = ["cellGains", "cellXMm", "cellYMm"]

export interface FootSettings {
    /** newtons per ADC count, per cell */
    gains: number[]
    xMm: number[]
    yMm: number[]
    /** index in SETTING_KEYS of the first invalid setting, -1 when all are valid */
    invalid: number
}

/** `value` as a list of one finite number per cell (positive ones when `positive`), or undefined */
export function cellList(value: any, positive: boolean): number[] {
    if (!Array.isArray(value) || value.length !== CELLS) return undefined
    for (let i = 0; i < CELLS; i++) {
        const v = value[i]
        if (!isFiniteNumber(v) || (positive && v <= 0)) return undefined
    }
    return value
}

export async function loadFootSettings(): Promise<FootSettings> {
    const s: FootSettings = { gains: CELL_GAIN_N_PER_COUNT, xMm: CELL_X_MM, yMm: CELL_Y_MM, invalid: -1 }
    const defaults = [s.gains, s.xMm, s.yMm]
    const loaded: number[][] = []
    for (let k = 0; k < SETTING_KEYS.length; k++) {
        const raw = await readSetting(SETTING_KEYS[k], null)
        const v = raw === null ? defaults[k] : cellList(raw, k === 0)
        if (v === undefined && s.invalid < 0) s.invalid = k
        loaded.push(v === undefined ? defaults[k] : v)
    }
    s.gains = loaded[0]
    s.xMm = loaded[1]
    s.yMm = loaded[2]
    return s
}
