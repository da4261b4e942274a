// The joint's configuration as the control code uses it, derived from its settings.
import { JOINT_SETTINGS } from "./settings-schema"

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
 * Index (into JOINT_SETTINGS) of the first setting that is missing, not a finite number, out of its
 * range, or inconsistent with another; -1 when all are valid.
 */
export function firstInvalidSetting(values: Record<string, number>): number {
    for (let i = 0; i < JOINT_SETTINGS.length; i++) {
        const s = JOINT_SETTINGS[i]
        const v = values[s.key]
        if (typeof v !== "number" || !(v >= s.min && v <= s.max)) return i
    }
    const idx = (key: string) => JOINT_SETTINGS.findIndex(s => s.key === key)
    if (values["posMinRad"] >= values["posMaxRad"]) return idx("posMaxRad")
    if (values["derateC"] >= values["tripC"]) return idx("tripC")
    if (values["contA"] > values["peakA"]) return idx("contA")
    if (values["peakA"] >= values["tripA"]) return idx("tripA")
    if (1000 % values["loopHz"] !== 0) return idx("loopHz") // DeviceScript timers tick in whole ms
    return -1
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
