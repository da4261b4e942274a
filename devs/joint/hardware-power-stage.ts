// The joint's power stage on the board: the TMC4671 (its own current loop in torque mode, or voltage
// mode for the firmware's) and the AS5047P over SPI, the winding NTC and the bus voltage from ADC pins. The drivers and the two analog readings are
// injected, so the VM tests run this against the drivers' fake register maps (drivers/fakes/).
import type { AS5047P } from "../../drivers/as5047p"
import { modifyRegister } from "../../drivers/registers"
import { TMC4671, TMC4671_PWM_CHOP_CENTERED_FOC, TMC4671_PWM_SV_CHOP } from "../../drivers/tmc4671"
import { MAX_DUTY } from "./board-constants"
import { iqCounts, type ChipCurrentLoop } from "./chip-current-loop"
import type { BridgeCommand, Sample } from "./controller"
import { jointAngleRad, type PowerStage } from "./power-stage"
import { millis } from "../lib/runtime"
import { wrapU32 } from "../lib/stamps"

const PWM_CHOP_OFF = 0

export interface HardwarePowerStageOptions {
    foc: TMC4671
    encoder: AS5047P
    /**
     * amperes per count of PID_TORQUE_FLUX_ACTUAL's Iq: the board's shunt, amplifier and
     * ADC_I0_SCALE_OFFSET scaling, to be measured on the bench (README, drivers)
     */
    ampsPerCount: number
    /** the encoder angle at joint position 0 (setting encZeroRad) */
    encoderZeroRad: number
    /** 1: the joint angle grows with the encoder's; -1: it falls (setting encDir) */
    encoderDir: number
    windingNtcC: () => number
    busV: () => number
    /** the chip runs the current loop (setting currentLoop 1); else the firmware does, in voltage mode */
    chipLoop: boolean
}

export class HardwarePowerStage implements PowerStage {
    private handler: (s: Sample) => Promise<void>
    private readonly sample: Sample = { timestampUs: 0, currentA: 0, angleRad: 0, windingNtcC: 0, busV: 0 }
    /** the PWM chopper's state as last written; undefined until the first command */
    private bridgeOn: boolean

    constructor(private readonly o: HardwarePowerStageOptions) {}

    onSample(handler: (s: Sample) => Promise<void>) {
        this.handler = handler
    }

    /** the stock runtime shows no reset reason (power-stage.ts): a restart on a board goes unreported */
    async startedByBrownOut() {
        return false
    }

    /** reads the chips at once (no conversion to wait for) and hands the sample to the handler */
    async requestSample() {
        const s = this.sample
        // DeviceScript has no microsecond clock: the millisecond clock in µs, wrapped at 2^32 as the
        // Sample's stamp is. The controller's measured period is therefore only as fine as millis().
        s.timestampUs = wrapU32(millis() * 1000)
        // a failed read is a sample with nothing in it (NaN): the controller's sensor checks trip on it
        try {
            s.currentA = (await this.o.foc.torqueCurrentCounts()) * this.o.ampsPerCount
        } catch (e) {
            s.currentA = NaN
        }
        try {
            s.angleRad = jointAngleRad(await this.o.encoder.angleRad(), this.o.encoderZeroRad, this.o.encoderDir)
        } catch (e) {
            s.angleRad = NaN
        }
        s.windingNtcC = this.o.windingNtcC()
        s.busV = this.o.busV()
        if (this.handler) await this.handler(s)
    }

    /** torque mode with the chip's current loop, its gains and limits as designed (chip-current-loop.ts) */
    async configureChip(loop: ChipCurrentLoop): Promise<void> {
        await this.o.foc.setupTorqueLoop(loop.p, loop.i, loop.torqueLimitCounts, loop.uqLimitCounts)
    }

    /**
     * The chip's loop: the current target (Iq counts, limited by the chip itself). The firmware's loop:
     * UQ_EXT = voltage / bus voltage, within ±MAX_DUTY (assumes UQ_EXT full scale is the bus voltage:
     * to be checked on the bench). Bridge off is PWM_CHOP off (all switches open), written on change.
     */
    async drive(cmd: BridgeCommand): Promise<void> {
        const busV = this.sample.busV
        const on = cmd.bridgeOn && busV > 0
        if (!on && this.bridgeOn !== false) await this.chop(false)
        if (this.o.chipLoop) {
            await this.o.foc.setTorqueTarget(on ? iqCounts(cmd.currentA) : 0)
        } else {
            let duty = on ? cmd.voltageV / busV : 0
            duty = duty === duty ? Math.max(-MAX_DUTY, Math.min(MAX_DUTY, duty)) : 0 // NaN: nothing
            await this.o.foc.driveUq(duty)
        }
        if (on && this.bridgeOn !== true) await this.chop(true)
    }

    private async chop(on: boolean) {
        await modifyRegister(this.o.foc, TMC4671_PWM_SV_CHOP, 0xff, on ? TMC4671_PWM_CHOP_CENTERED_FOC : PWM_CHOP_OFF)
        this.bridgeOn = on
    }
}
