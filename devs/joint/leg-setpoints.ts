// The joint's side of its leg's setpoint frame (services/legsetpoints.md): the body controller sends
// the six joints of a leg their impedance setpoints in one report a period, and each joint reads its
// own slot. The frame also tells the joint that it still hears its bus (controller.heardLegFrame).
import * as ds from "@devicescript/core"
import type { JointController } from "./controller"
import type { JointActuatorServer } from "./servers"

const SETPOINTS_CODE = ds.LegSetpoints.spec.lookup("setpoints").code
/** the slot mask (u32), then six slots of five f32: position, velocity, kp, kd, torque feedforward */
const SLOTS_AT = 4
const SLOT_BYTES = 20

/**
 * Follows the leg's setpoint frame as slot `slot`, handing a set slot's fields to the actuator server
 * as an impedance setpoint (the same checks and refusals as the command).
 */
export function followLegSetpoints(slot: number, ctl: JointController, actuator: JointActuatorServer) {
    const role = new ds.LegSetpoints()
    const fields = [0, 0, 0, 0, 0]
    const at = SLOTS_AT + slot * SLOT_BYTES
    // The role's packets come here directly: the library's handler keeps a register cache and emits
    // to subscribers, work this frame does not need 100 times a second.
    role._onPacket = async (pkt: ds.Packet) => {
        if (!pkt || pkt.serviceCommand !== SETPOINTS_CODE) return
        ctl.heardLegFrame()
        const data = pkt.payload
        if (data.length < at + SLOT_BYTES || !(data.getAt(0, "u32") & (1 << slot))) return
        // (written out: a loop's counter and bounds cost the VM more than the five reads)
        fields[0] = data.getAt(at, "f32")
        fields[1] = data.getAt(at + 4, "f32")
        fields[2] = data.getAt(at + 8, "f32")
        fields[3] = data.getAt(at + 12, "f32")
        fields[4] = data.getAt(at + 16, "f32")
        await actuator.impedanceSetpoint(fields)
    }
}
