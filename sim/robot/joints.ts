// The robot's twelve joints (design/plant.md): six per leg, their actuator sizes and torque ratings.
import type { ActuatorSize } from "../../devs/joint/settings-schema.ts"

export type Leg = "left" | "right"
export type JointKind = "hip_yaw" | "hip_roll" | "hip_pitch" | "knee" | "ankle_pitch" | "ankle_roll"

export interface JointSpec {
    name: string
    leg: Leg
    kind: JointKind
    /** its slot in the leg's setpoint frame (services/legsetpoints.md): its place in the leg, hip to ankle */
    slot: number
    actuator: ActuatorSize
    peakTorqueNm: number
    continuousTorqueNm: number
}

const KINDS: [JointKind, ActuatorSize, number, number][] = [
    ["hip_yaw", "small", 60, 20],
    ["hip_roll", "large", 120, 40],
    ["hip_pitch", "large", 120, 40],
    ["knee", "large", 150, 50],
    ["ankle_pitch", "small", 60, 20],
    ["ankle_roll", "small", 40, 15],
]

export const ROBOT_JOINTS: JointSpec[] = (["left", "right"] as Leg[]).flatMap(leg =>
    KINDS.map(([kind, actuator, peak, cont], slot) => ({
        name: `${leg}_${kind}`,
        leg,
        kind,
        slot,
        actuator,
        peakTorqueNm: peak,
        continuousTorqueNm: cont,
    }))
)
