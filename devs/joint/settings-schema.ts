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
    doc: string
}

export const JOINT_SETTINGS: SettingSpec[] = [
    { key: "ktNmPerA", unit: "N·m/A", min: 0.005, max: 1, large: 0.1, small: 0.06, doc: "motor torque constant (motor side); Ke = Kt" },
    { key: "rOhm", unit: "Ω", min: 0.01, max: 10, large: 0.12, small: 0.25, doc: "phase resistance" },
    { key: "lUh", unit: "µH", min: 5, max: 5000, large: 80, small: 120, doc: "torque-axis inductance" },
    { key: "gearRatio", unit: "", min: 1, max: 200, large: 25, small: 25, doc: "gear reduction" },
    { key: "gearEff", unit: "", min: 0.3, max: 1, large: 0.9, small: 0.9, doc: "gear efficiency" },
    { key: "peakA", unit: "A", min: 1, max: 200, large: 70, small: 40, doc: "current limit (peak)" },
    { key: "contA", unit: "A", min: 1, max: 200, large: 22, small: 14, doc: "continuous current" },
    { key: "tripA", unit: "A", min: 1, max: 250, large: 84, small: 48, doc: "over-current trip (measured current)" },
    { key: "torqueNm", unit: "N·m", min: 1, max: 500, large: 150, small: 60, doc: "output torque limit" },
    { key: "posMinRad", unit: "rad", min: -6.3, max: 6.3, large: -2.5, small: -1.5, doc: "lower soft position limit" },
    { key: "posMaxRad", unit: "rad", min: -6.3, max: 6.3, large: 2.5, small: 1.5, doc: "upper soft position limit" },
    { key: "maxVelRadS", unit: "rad/s", min: 1, max: 100, large: 20, small: 25, doc: "fastest plausible output speed (encoder jump check)" },
    { key: "rthKPerW", unit: "K/W", min: 0.1, max: 20, large: 1.5, small: 2.5, doc: "winding thermal resistance" },
    { key: "tauThS", unit: "s", min: 1, max: 3600, large: 60, small: 45, doc: "winding thermal time constant" },
    { key: "derateC", unit: "°C", min: 40, max: 200, large: 100, small: 100, doc: "winding temperature where current derating starts" },
    { key: "tripC", unit: "°C", min: 50, max: 220, large: 120, small: 120, doc: "winding temperature trip" },
    { key: "ambientC", unit: "°C", min: -20, max: 60, large: 25, small: 25, doc: "ambient temperature of the thermal estimate" },
    { key: "loopHz", unit: "Hz", min: 100, max: 1000, large: 1000, small: 1000, doc: "control loop rate; 1000 / loopHz must be a whole number of milliseconds" },
    { key: "currentBw", unit: "", min: 0.05, max: 0.9, large: 0.5, small: 0.5, doc: "current loop speed: fraction of the error removed per period" },
    { key: "watchdogMs", unit: "ms", min: 5, max: 5000, large: 100, small: 100, doc: "command watchdog timeout" },
    { key: "dampKdNmsRad", unit: "N·m·s/rad", min: 0, max: 50, large: 2, small: 0.8, doc: "damping gain of the safe state" },
    { key: "dampMs", unit: "ms", min: 0, max: 10000, large: 500, small: 500, doc: "time in damping before the bridge goes off" },
    { key: "telemetryMs", unit: "ms", min: 20, max: 1000, large: 40, small: 40, doc: "telemetry report period" },
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
