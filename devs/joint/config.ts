// The joint's configuration as the control code uses it, derived from its settings.
import { JOINT_SETTINGS, type JointSettings, type SettingSpec } from "./settings-schema"

/** The settings by key (JOINT_SETTINGS), plus the ones the loop uses in its own units. */
export interface JointConfig extends JointSettings {
    /** lUh in henries */
    lH: number
    /** watchdogMs in µs */
    watchdogUs: number
    /** dampMs in µs */
    dampUs: number
}

/**
 * Settings that must agree with another one. `key` is the setting blamed when `holds` is false (what
 * is accepted, for the host's messages: JOINT_SETTING_RULE_DOCS in settings-docs.ts). Checked only
 * once every setting is inside its own range.
 */
export interface SettingRule {
    key: string
    holds: (v: Record<string, number>) => boolean
}

export const JOINT_SETTING_RULES: SettingRule[] = [
    { key: "posMaxRad", holds: v => v["posMinRad"] < v["posMaxRad"] },
    { key: "tripC", holds: v => v["derateC"] < v["tripC"] },
    { key: "contA", holds: v => v["contA"] <= v["peakA"] },
    { key: "tripA", holds: v => v["peakA"] < v["tripA"] },
    // DeviceScript timers tick in whole milliseconds
    { key: "loopHz", holds: v => 1000 % v["loopHz"] === 0 },
    { key: "encDir", holds: v => v["encDir"] === 1 || v["encDir"] === -1 },
    { key: "currentLoop", holds: v => v["currentLoop"] === 0 || v["currentLoop"] === 1 },
    { key: "legSlot", holds: v => Math.round(v["legSlot"]) === v["legSlot"] },
]

/** true when `v` is a number inside the setting's range */
export function inRange(s: SettingSpec, v: number): boolean {
    return typeof v === "number" && v >= s.min && v <= s.max
}

/**
 * Index (into JOINT_SETTINGS) of the first setting that is missing, not a finite number, out of its
 * range, or inconsistent with another; -1 when all are valid.
 */
export function firstInvalidSetting(values: Record<string, number>): number {
    for (let i = 0; i < JOINT_SETTINGS.length; i++) if (!inRange(JOINT_SETTINGS[i], values[JOINT_SETTINGS[i].key])) return i
    const broken = JOINT_SETTING_RULES.find(r => !r.holds(values))
    return broken ? JOINT_SETTINGS.findIndex(s => s.key === broken.key) : -1
}

/** The configuration from valid settings (check with firstInvalidSetting first). */
export function toConfig(v: JointSettings): JointConfig {
    return { ...v, lH: v.lUh * 1e-6, watchdogUs: v.watchdogMs * 1000, dampUs: v.dampMs * 1000 }
}
