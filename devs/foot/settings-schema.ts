// The foot board's settings: one table, read by the firmware at start-up (devs/foot/settings.ts), by
// the host before deploy and by the simulator, and rendered into the docs. Every setting holds one
// value per cell (0 heel outer, 1 heel inner, 2 toe outer, 3 toe inner). They are stored together in
// the one DeviceScript setting FOOT_SETTING_KEY as {"id": footId, "v": [per-cell lists in table
// order], "check": N}, as the joint's are: one read at boot, small enough for one Jacdac packet.
// Defaults are the reference sole of design/plant.md (config.ts). Plain data: no imports beyond
// config.ts and the record's check. What each setting means is in settings-docs.ts (host-only).
import { CELL_GAIN_N_PER_COUNT, CELL_X_MM, CELL_Y_MM, CELLS } from "./config"
import { sealRecord } from "../lib/record-check"

export const FOOT_SETTING_KEY = "foot"

export interface FootSettingSpec {
    key: string
    unit: string
    /** range of each cell's value */
    min: number
    max: number
    /** per cell: the reference sole */
    cells: number[]
}

export const FOOT_SETTINGS: FootSettingSpec[] = [
    // 50 N to 8 kN at the 24-bit ADC's full scale
    { key: "cellGains", unit: "N/count", min: 0.000006, max: 0.001, cells: CELL_GAIN_N_PER_COUNT },
    { key: "cellXMm", unit: "mm", min: -150, max: 150, cells: CELL_X_MM },
    { key: "cellYMm", unit: "mm", min: -100, max: 100, cells: CELL_Y_MM },
]

/**
 * Settings that must agree across cells (the cell numbering: a swapped cable breaks one). `key` is
 * the setting blamed (what is accepted, for the host's messages: FOOT_SETTING_RULE_DOCS in
 * settings-docs.ts). Checked once every value is inside its range.
 */
export interface FootSettingRule {
    key: string
    holds: (v: number[][]) => boolean
}

export const FOOT_SETTING_RULES: FootSettingRule[] = [
    { key: "cellXMm", holds: v => Math.max(v[1][0], v[1][1]) < Math.min(v[1][2], v[1][3]) },
    { key: "cellYMm", holds: v => v[2][0] > v[2][1] && v[2][2] > v[2][3] },
]

export interface StoredFootSettings {
    id: string
    v: number[][]
    /** the record's check (devs/lib/record-check.ts): damage to the stored text is refused */
    check: number
}

/** true when `value` is a list of one number per cell, each inside the setting's range */
export function cellsInRange(s: FootSettingSpec, value: any): boolean {
    if (!Array.isArray(value) || value.length !== CELLS) return false
    for (let i = 0; i < CELLS; i++) {
        const x = value[i]
        if (typeof x !== "number" || !(x >= s.min && x <= s.max)) return false
    }
    return true
}

/**
 * Index (into FOOT_SETTINGS) of the first setting that is missing, not a list of in-range numbers, or
 * inconsistent with another; -1 when all are valid.
 */
export function firstInvalidFootSetting(v: any[]): number {
    for (let i = 0; i < FOOT_SETTINGS.length; i++) if (!cellsInRange(FOOT_SETTINGS[i], v[i])) return i
    for (let r = 0; r < FOOT_SETTING_RULES.length; r++) {
        if (FOOT_SETTING_RULES[r].holds(v)) continue
        for (let i = 0; i < FOOT_SETTINGS.length; i++) if (FOOT_SETTINGS[i].key === FOOT_SETTING_RULES[r].key) return i
    }
    return -1
}

/** the stored setting of foot `footId` with `values` by key */
export function encodeFootSettings(footId: string, values: Record<string, number[]>): StoredFootSettings {
    return sealRecord({ id: footId, v: FOOT_SETTINGS.map(s => values[s.key]) })
}
