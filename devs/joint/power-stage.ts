// The joint board's power stage and sensors as the control loop sees them: take one sample, set up the
// chip's current loop, apply one bridge command. On the board these are SPI transfers with the motor
// controller chip and the encoder (drivers/); in the simulator the sample request, the chip's set-up and
// the bridge command go out through the hardware twin, and the sample comes back as a JointPowerStage
// reading (services/jointpowerstage.md).
import * as ds from "@devicescript/core"
import { iqCounts, type ChipCurrentLoop } from "./chip-current-loop"
import type { BridgeCommand, Sample } from "./controller"
import { twinMessage } from "../lib/runtime"

export interface PowerStage {
    /**
     * the microcontroller last started after a brown-out (its reset-cause register), asked once at
     * start-up. The stock DeviceScript runtime shows a program no reset reason: on a board the hardware
     * stage answers false until the runtime does (services/jointpowerstage.md).
     */
    startedByBrownOut(): Promise<boolean>
    /** `handler` runs with each sample, as a conversion-complete interrupt would */
    onSample(handler: (s: Sample) => Promise<void>): void
    /** starts one conversion */
    requestSample(): Promise<void>
    /** the chip's current loop (setting currentLoop 1): its gains and limits, once, before it drives */
    configureChip(loop: ChipCurrentLoop): Promise<void>
    /** the bridge on or off; the voltage (firmware current loop) or the chip's current target */
    drive(cmd: BridgeCommand): Promise<void>
}

/** the simulated stage's bridge command: [voltageV f32][bridgeOn u8][chip loop u8][Iq target counts i16] */
const DRIVE_BYTES = 8
/** the simulated chip's set-up: [P u16][I u16][torque limit u16][UQ limit u16] (the registers' values) */
const CHIP_BYTES = 8

/**
 * The joint angle for an output encoder angle (0 to 2π, the encoder's own turn): from the encoder's
 * zero, in the joint's direction, within ±π. So a joint whose range is inside half a turn either side
 * of its zero never sees the encoder's wrap from 2π to 0.
 */
export function jointAngleRad(encoderRad: number, zeroRad: number, dir: number): number {
    const a = dir * (encoderRad - zeroRad)
    return a - TWO_PI * Math.round(a / TWO_PI)
}

const TWO_PI = 2 * Math.PI
const READING_CODE = ds.JointPowerStage.spec.lookup("reading").code
/** the stage's reset_reason for a brown-out (services/jointpowerstage.md) */
const RESET_BROWN_OUT = 1

export class SimulatedPowerStage implements PowerStage {
    private readonly hw = new ds.JointPowerStage()
    private readonly request = Buffer.alloc(1)
    private readonly command = Buffer.alloc(DRIVE_BYTES)
    private readonly sample: Sample = { timestampUs: 0, currentA: 0, angleRad: 0, windingNtcC: 0, busV: 0 }

    /** the output encoder's mounting (the settings encZeroRad and encDir); where the current loop runs */
    constructor(
        private readonly encoderZeroRad: number,
        private readonly encoderDir: number,
        private readonly chipLoop: boolean
    ) {}

    onSample(handler: (s: Sample) => Promise<void>) {
        const s = this.sample
        const zeroRad = this.encoderZeroRad
        const dir = this.encoderDir
        // The twin's readings come here directly, as a conversion-complete interrupt would hand them
        // over: the library's role handler keeps a register cache and emits to subscribers, a
        // round of work every sample does not need.
        this.hw._onPacket = async (pkt: ds.Packet) => {
            if (!pkt || pkt.serviceCommand !== READING_CODE) return
            // the reading's fields where services/jointpowerstage.md puts them, read in place (getAt
            // is one opcode; decode() builds an array every sample)
            const p = pkt.payload
            s.timestampUs = p.getAt(0, "u32")
            s.currentA = p.getAt(4, "f32")
            // jointAngleRad, written out: this runs every sample
            const a = dir * (p.getAt(8, "f32") - zeroRad)
            s.angleRad = a - TWO_PI * Math.round(a / TWO_PI)
            s.windingNtcC = p.getAt(12, "f32")
            s.busV = p.getAt(16, "f32")
            await handler(s)
        }
    }

    async requestSample() {
        await twinMessage("jps/sample", this.request)
    }

    async startedByBrownOut() {
        return (await this.hw.resetReason.read()) === RESET_BROWN_OUT
    }

    async configureChip(loop: ChipCurrentLoop): Promise<void> {
        const b = Buffer.alloc(CHIP_BYTES)
        b.setAt(0, "u16", loop.p)
        b.setAt(2, "u16", loop.i)
        b.setAt(4, "u16", loop.torqueLimitCounts)
        b.setAt(6, "u16", loop.uqLimitCounts)
        await twinMessage("jps/chip", b)
    }

    async drive(cmd: BridgeCommand): Promise<void> {
        this.command.setAt(0, "f32", this.chipLoop ? 0 : cmd.voltageV)
        this.command.setAt(4, "u8", cmd.bridgeOn ? 1 : 0)
        this.command.setAt(5, "u8", this.chipLoop ? 1 : 0)
        this.command.setAt(6, "i16", this.chipLoop && cmd.bridgeOn ? iqCounts(cmd.currentA) : 0)
        await twinMessage("jps/drive", this.command)
    }
}
