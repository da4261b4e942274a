// The joint's configuration as the control code uses it, derived from its settings.
import { JOINT_SETTINGS, type SettingSpec } from "./settings-schema"

export interface JointConfig {
    ktNmPerA: number
    rOhm: number
    lH: number
    gearRatio: number
    gearEff: number
    peakA: number
    contA: number
    tripA: number
    torqueNm: number
    posMinRad: number
    posMaxRad: number
    maxVelRadS: number
    rthKPerW: number
    tauThS: number
    derateC: number
    tripC: number
    ambientC: number
    loopHz: number
    currentBw: number
    watchdogUs: number
    dampKdNmsRad: number
    dampUs: number
    telemetryMs: number
}

/**
 * Settings that must agree with another one. `key` is the setting blamed when `holds` is false;
 * `accepted` says what is accepted, for the host's validation messages. Checked only once every
 * setting is inside its own range.
 */
export interface SettingRule {
    key: string
    accepted: string
    holds: (v: Record<string, number>) => boolean
}

export const JOINT_SETTING_RULES: SettingRule[] = [
    { key: "posMaxRad", accepted: "greater than posMinRad", holds: v => v["posMinRad"] < v["posMaxRad"] },
    { key: "tripC", accepted: "greater than derateC", holds: v => v["derateC"] < v["tripC"] },
    { key: "contA", accepted: "at most peakA", holds: v => v["contA"] <= v["peakA"] },
    { key: "tripA", accepted: "greater than peakA", holds: v => v["peakA"] < v["tripA"] },
    // DeviceScript timers tick in whole milliseconds
    { key: "loopHz", accepted: "a divisor of 1000 (a whole number of ms per period)", holds: v => 1000 % v["loopHz"] === 0 },
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

/** the configuration from valid settings (check with firstInvalidSetting first) */
export function toConfig(v: Record<string, number>): JointConfig {
    return {
        ktNmPerA: v["ktNmPerA"],
        rOhm: v["rOhm"],
        lH: v["lUh"] * 1e-6,
        gearRatio: v["gearRatio"],
        gearEff: v["gearEff"],
        peakA: v["peakA"],
        contA: v["contA"],
        tripA: v["tripA"],
        torqueNm: v["torqueNm"],
        posMinRad: v["posMinRad"],
        posMaxRad: v["posMaxRad"],
        maxVelRadS: v["maxVelRadS"],
        rthKPerW: v["rthKPerW"],
        tauThS: v["tauThS"],
        derateC: v["derateC"],
        tripC: v["tripC"],
        ambientC: v["ambientC"],
        loopHz: v["loopHz"],
        currentBw: v["currentBw"],
        watchdogUs: v["watchdogMs"] * 1000,
        dampKdNmsRad: v["dampKdNmsRad"],
        dampUs: v["dampMs"] * 1000,
        telemetryMs: v["telemetryMs"],
    }
}
