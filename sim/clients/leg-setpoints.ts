// The body controller's leg setpoint frame (services/legsetpoints.md): it hosts the service on a
// leg's bus, one device per leg, and sends the six joints their impedance setpoints in one report a
// period. Each joint reads its own slot (its legSlot setting) and the slot's session token: the one
// the joint's enable reply gave the body controller (services/jointactuator.md, "One command source").
import { CMD_GET_REG, JDServerServiceProvider, JDServiceServer, Packet } from "jacdac-ts"
import { FixedPacker } from "../pack-format.ts"
import type { BusSegment } from "../bus/segment.ts"
import { customService, servicePacket } from "../services.ts"
import { deviceIdFor } from "../simulation.ts"

export const LEG_SLOTS = 6

export interface ImpedanceSetpoint {
    posRad: number
    velRadS: number
    kpNmRad: number
    kdNmsRad: number
    ffNm: number
}

/** a slot's setpoint and the session token of the slot's joint */
export interface LegSlot extends ImpedanceSetpoint {
    token: number
}

const SETPOINTS = servicePacket("legsetpoints", "setpoints")
const SETPOINTS_FORMAT = new FixedPacker(SETPOINTS.packFormat, "services/legsetpoints.md setpoints")
const UNSET: number[] = [0, 0, 0, 0, 0]

export class LegSetpointsHost {
    readonly deviceId: string
    private readonly server: JDServiceServer
    frames = 0

    /** the service on `segment`, hosted by a device named `name` (e.g. "left_leg/body") */
    constructor(segment: BusSegment, name: string) {
        this.server = new JDServiceServer(customService("legsetpoints").classIdentifier)
        this.deviceId = deviceIdFor(name)
        segment.bus.addServiceProvider(new JDServerServiceProvider(name, [this.server], { deviceId: this.deviceId }))
    }

    /** one frame: slot i carries `slots[i]` with its token, or nothing (token 0) when it is undefined */
    send(slots: readonly (LegSlot | undefined)[]) {
        if (slots.length > LEG_SLOTS) throw new Error(`a leg frame has ${LEG_SLOTS} slots, not ${slots.length}`)
        let mask = 0
        const tokens: number[] = []
        const rows: number[][] = []
        for (let i = 0; i < LEG_SLOTS; i++) {
            const s = slots[i]
            if (s) mask |= 1 << i
            tokens.push(s ? s.token : 0)
            rows.push(s ? [s.posRad, s.velRadS, s.kpNmRad, s.kdNmsRad, s.ffNm] : UNSET)
        }
        this.frames++
        const data = new Uint8Array(SETPOINTS_FORMAT.bytes(LEG_SLOTS))
        SETPOINTS_FORMAT.write(new DataView(data.buffer), 0, [mask, ...tokens], rows)
        void this.server.sendPacketAsync(Packet.from(CMD_GET_REG | SETPOINTS.identifier, data))
    }
}
