// The joint's side of its leg's setpoint frame (services/legsetpoints.md): the body controller sends
// the six joints of a leg their impedance setpoints in one report a period, each with the session
// token its joint gave it, and each joint reads its own slot and token. The frame also tells the joint
// that it still hears its bus (controller.heardLegFrame).
import * as ds from "@devicescript/core"
import { JointController } from "./controller"
import type { JointActuatorServer } from "./servers"

const SETPOINTS_CODE = ds.LegSetpoints.spec.lookup("setpoints").code
/** the slot mask (u32), six session tokens (u16), then six slots of five f32: position, velocity, kp, kd, torque feedforward */
const TOKENS_AT = 4
const TOKEN_BYTES = 2
const SLOTS_AT = 16
const SLOT_BYTES = 20

/**
 * Follows the leg's setpoint frame as slot `slot`, handing a set slot's fields and token to the
 * actuator server as an impedance setpoint (the same checks and refusals as the command).
 */
export function followLegSetpoints(slot: number, ctl: JointController, actuator: JointActuatorServer) {
    const role = new ds.LegSetpoints()
    const at = SLOTS_AT + slot * SLOT_BYTES
    const tokenAt = TOKENS_AT + slot * TOKEN_BYTES
    // The role's packets come here directly: the library's handler keeps a register cache and emits
    // to subscribers, work this frame does not need 100 times a second.
    role._onPacket = async (pkt: ds.Packet) => {
        if (!pkt || pkt.serviceCommand !== SETPOINTS_CODE) return
        JointController.heardLegFrame(ctl)
        const data = pkt.payload
        if (data.length < at + SLOT_BYTES || !(data.getAt(0, "u32") & (1 << slot))) return
        await actuator.impedanceAt(data, at, data.getAt(tokenAt, "u16"))
    }
}
