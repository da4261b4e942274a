// One simulated joint board served over TCP (served-board.ts): the joint bytecode in its VM with the
// actuator plant on a blocked output (a bench).
import { JointBoard } from "../hardware/joint-board.ts"
import { blockedLoad } from "../plants/loads.ts"
import { ACTUATORS } from "../plants/actuator.ts"
import { mountedAsSettings, SENSORS } from "../plants/actuator-sensors.ts"
import { defaultJointSettings, type ActuatorSize, type JointSettings } from "../../devs/joint/settings-schema.ts"
import { serveBoard, type Served, type ServeOptions } from "./served-board.ts"

export interface ServeJointOptions extends ServeOptions {
    /** the board's name on the bench (its device id derives from it) */
    name: string
    /** the actuator on the bench */
    actuator: ActuatorSize
    /** settings in the board's flash at power-up (provisioned as `jointId`); none: unprovisioned */
    provisioned?: { jointId: string; values: JointSettings }
    /** with `provisioned`: the bytes stored as its setting instead (a damaged flash) */
    storedSetting?: Uint8Array
}

export type ServedJoint = Served<JointBoard>

export function serveJointBoard(opts: ServeJointOptions): Promise<ServedJoint> {
    const settings = opts.provisioned?.values ?? defaultJointSettings(opts.actuator)
    // its encoder is mounted as the settings it powers up with say (calibrated); a later deploy
    // of other encZeroRad/encDir values moves the joint's zero, as on a real joint
    const sensors = mountedAsSettings(SENSORS[opts.actuator], settings)
    return serveBoard(opts, (sim, body) =>
        JointBoard.add(sim, {
            name: opts.provisioned?.jointId ?? opts.name,
            actuator: ACTUATORS[opts.actuator],
            sensors,
            settings,
            unprovisioned: !opts.provisioned,
            storedSetting: opts.storedSetting,
            body,
            load: blockedLoad,
        })
    )
}
