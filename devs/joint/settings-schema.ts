// The joint board's settings: one table, read by the firmware at start-up (devs/joint/main.ts), by
// the host before deploy and by the simulator, and rendered into the docs. They are stored together
// in the one DeviceScript setting JOINT_SETTING_KEY as {"id": jointId, "v": [values in table order]}:
// one read at boot (every packet a program sends costs 20 ms of its send budget) and small enough for
// one Jacdac packet. Defaults are the reference robot's figures (design/plant.md) for the large and
// the small actuator.

export const JOINT_SETTING_KEY = "joint"

export interface SettingSpec {
    key: string
    unit: string
    min: number
    max: number
    /** default for the large actuator (hip roll, hip pitch, knee) */
    large: number
    /** default for the small actuator (hip yaw, ankle pitch, ankle roll) */
    small: number
}

// Rows as calls rather than object literals: the firmware builds this table at start-up, and a call
// compiles to about half the bytecode of a seven-field literal (700 bytes over the table).
function setting(key: string, unit: string, min: number, max: number, large: number, small: number): SettingSpec {
    return { key, unit, min, max, large, small }
}

/** key, unit, min, max, default large, default small; what each means: settings-docs.ts */
export const JOINT_SETTINGS: SettingSpec[] = [
    setting("ktNmPerA", "N·m/A", 0.005, 1, 0.1, 0.06),
    setting("rOhm", "Ω", 0.01, 10, 0.12, 0.25),
    setting("lUh", "µH", 5, 5000, 80, 120),
    setting("gearRatio", "", 1, 200, 25, 25),
    setting("gearEff", "", 0.3, 1, 0.9, 0.9),
    setting("peakA", "A", 1, 200, 70, 40),
    setting("contA", "A", 1, 200, 22, 14),
    setting("tripA", "A", 1, 250, 84, 48),
    setting("torqueNm", "N·m", 1, 500, 150, 60),
    setting("posMinRad", "rad", -3, 3, -2.5, -1.5),
    setting("posMaxRad", "rad", -3, 3, 2.5, 1.5),
    setting("maxVelRadS", "rad/s", 1, 100, 20, 25),
    setting("rthKPerW", "K/W", 0.1, 20, 1.5, 2.5),
    setting("tauThS", "s", 1, 3600, 60, 45),
    setting("derateC", "°C", 40, 200, 100, 100),
    setting("tripC", "°C", 50, 220, 120, 120),
    setting("ambientC", "°C", -20, 60, 25, 25),
    setting("loopHz", "Hz", 100, 1000, 1000, 1000),
    setting("currentBw", "", 0.05, 0.9, 0.5, 0.5),
    setting("watchdogMs", "ms", 5, 5000, 100, 100),
    setting("dampKdNmsRad", "N·m·s/rad", 0, 50, 2, 0.8),
    setting("dampMs", "ms", 0, 10000, 500, 500),
    setting("telemetryMs", "ms", 20, 1000, 40, 40),
    // the output encoder's mounting, measured on the bench (joint positions are within ±π of its zero)
    setting("encZeroRad", "rad", 0, 6.2832, 0, 0),
    setting("encDir", "", -1, 1, 1, 1),
]

export type ActuatorSize = "large" | "small"

/** the settings of a joint with `size` actuator, as defaults */
export function defaultJointSettings(size: ActuatorSize): Record<string, number> {
    const out: Record<string, number> = {}
    for (const s of JOINT_SETTINGS) out[s.key] = size === "large" ? s.large : s.small
    return out
}

export interface StoredJointSettings {
    id: string
    v: number[]
}

export function encodeJointSettings(jointId: string, values: Record<string, number>): StoredJointSettings {
    return { id: jointId, v: JOINT_SETTINGS.map(s => values[s.key]) }
}

/** the values by key; a missing or non-numeric value comes out as NaN (and fails validation) */
export function decodeJointSettings(stored: StoredJointSettings): Record<string, number> {
    const out: Record<string, number> = {}
    const v = stored && Array.isArray(stored.v) ? stored.v : []
    for (let i = 0; i < JOINT_SETTINGS.length; i++) out[JOINT_SETTINGS[i].key] = typeof v[i] === "number" ? v[i] : NaN
    return out
}
