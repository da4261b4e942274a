// The joint board's settings: one table, read by the firmware at start-up (devs/joint/main.ts), by
// the host before deploy and by the simulator, and rendered into the docs; the configuration's type
// is derived from its keys (config.ts). They are stored together in the one DeviceScript setting
// JOINT_SETTING_KEY as {"id": jointId, "v": [values in table order], "check": N} (the check:
// devs/lib/record-check.ts): one read at boot (every packet a program sends costs 20 ms of its send
// budget) and small enough for one Jacdac packet. Defaults are the reference robot's figures (design/plant.md) for the large and
// the small actuator.
import { sealRecord } from "../lib/record-check"

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

/** the rows as written, checked against SettingSpec (the DeviceScript compiler has no `satisfies`) */
function rows<T extends readonly SettingSpec[]>(specs: T): T {
    return specs
}

/** key, unit, min, max, default large, default small; what each means: settings-docs.ts */
export const JOINT_SETTINGS = rows([
    { key: "ktNmPerA", unit: "N·m/A", min: 0.005, max: 1, large: 0.1, small: 0.06 },
    { key: "rOhm", unit: "Ω", min: 0.01, max: 10, large: 0.12, small: 0.25 },
    { key: "lUh", unit: "µH", min: 5, max: 5000, large: 80, small: 120 },
    { key: "gearRatio", unit: "", min: 1, max: 200, large: 25, small: 25 },
    { key: "gearEff", unit: "", min: 0.3, max: 1, large: 0.9, small: 0.9 },
    { key: "peakA", unit: "A", min: 1, max: 200, large: 70, small: 40 },
    { key: "contA", unit: "A", min: 1, max: 200, large: 22, small: 14 },
    { key: "tripA", unit: "A", min: 1, max: 250, large: 84, small: 48 },
    { key: "torqueNm", unit: "N·m", min: 1, max: 500, large: 150, small: 60 },
    { key: "posMinRad", unit: "rad", min: -3, max: 3, large: -2.5, small: -1.5 },
    { key: "posMaxRad", unit: "rad", min: -3, max: 3, large: 2.5, small: 1.5 },
    { key: "maxVelRadS", unit: "rad/s", min: 1, max: 100, large: 20, small: 25 },
    { key: "rthKPerW", unit: "K/W", min: 0.1, max: 20, large: 1.5, small: 2.5 },
    { key: "tauThS", unit: "s", min: 1, max: 3600, large: 60, small: 45 },
    { key: "derateC", unit: "°C", min: 40, max: 200, large: 100, small: 100 },
    { key: "tripC", unit: "°C", min: 50, max: 220, large: 120, small: 120 },
    { key: "ambientC", unit: "°C", min: -20, max: 60, large: 25, small: 25 },
    // where the current loop runs: 1 in the motor controller chip at its PWM rate, 0 in the firmware
    { key: "currentLoop", unit: "", min: 0, max: 1, large: 1, small: 1 },
    { key: "chipBwHz", unit: "Hz", min: 100, max: 3000, large: 1000, small: 1000 },
    { key: "loopHz", unit: "Hz", min: 100, max: 1000, large: 100, small: 100 },
    { key: "currentBw", unit: "", min: 0.05, max: 0.9, large: 0.5, small: 0.5 },
    { key: "watchdogMs", unit: "ms", min: 5, max: 5000, large: 100, small: 100 },
    { key: "dampKdNmsRad", unit: "N·m·s/rad", min: 0, max: 50, large: 2, small: 0.8 },
    { key: "dampMs", unit: "ms", min: 0, max: 10000, large: 500, small: 500 },
    { key: "telemetryMs", unit: "ms", min: 20, max: 1000, large: 40, small: 40 },
    // the output encoder's mounting, measured on the bench (joint positions are within ±π of its zero)
    { key: "encZeroRad", unit: "rad", min: 0, max: 6.2832, large: 0, small: 0 },
    { key: "encDir", unit: "", min: -1, max: 1, large: 1, small: 1 },
    // the joint's slot in its leg's setpoint frame (services/legsetpoints.md); -1: none (the bench)
    { key: "legSlot", unit: "", min: -1, max: 5, large: -1, small: -1 },
] as const)

/** a joint setting's key */
export type JointSettingKey = (typeof JOINT_SETTINGS)[number]["key"]
/** the joint's settings by key */
export type JointSettings = Record<JointSettingKey, number>

/** where the current loop runs (setting currentLoop) */
export const CURRENT_LOOP_FIRMWARE = 0
export const CURRENT_LOOP_CHIP = 1

export type ActuatorSize = "large" | "small"

/** the settings of a joint with `size` actuator, as defaults */
export function defaultJointSettings(size: ActuatorSize): JointSettings {
    const out = {} as JointSettings
    for (const s of JOINT_SETTINGS) out[s.key] = size === "large" ? s.large : s.small
    return out
}

export interface StoredJointSettings {
    id: string
    v: number[]
    /** the record's check (devs/lib/record-check.ts): damage to the stored text is refused */
    check: number
}

export function encodeJointSettings(jointId: string, values: Record<string, number>): StoredJointSettings {
    return sealRecord({ id: jointId, v: JOINT_SETTINGS.map(s => values[s.key]) })
}

/** the values by key; a missing or non-numeric value comes out as NaN (and fails validation) */
export function decodeJointSettings(stored: { v: number[] } | null): JointSettings {
    const out = {} as JointSettings
    const v = stored && Array.isArray(stored.v) ? stored.v : []
    for (let i = 0; i < JOINT_SETTINGS.length; i++) out[JOINT_SETTINGS[i].key] = typeof v[i] === "number" ? v[i] : NaN
    return out
}
