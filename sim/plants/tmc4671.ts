// The TMC4671's own torque-axis current loop, as the simulator runs it inside a joint's power stage:
// the registers the firmware writes (its gains and limits, its current target) and the chip's PI in the
// chip's own scaling, once every PWM period, on the current it senses (Trinamic / Analog Devices
// TMC4671 datasheet rev 2.08; the equations and their units: devs/joint/chip-current-loop.ts):
//     e = clamp(target, ±torqueLimit) - measured                (Iq counts)
//     integrator += P/256 · I/256 · e / 256,  within ±uqLimit   (anti-windup: assumed, not documented)
//     UQ = clamp(P/256 · e + integrator, ±uqLimit),  V = UQ · V_M / 32768
// The new voltage applies from the next PWM period (the chip computes during one). Voltage mode
// (UQ_UD_EXT) and the bridge off are the firmware's business: the chip model is then idle, its
// integrator cleared (the chip's own behaviour with its PWM off is not documented).
import { clamp } from "../numbers.ts"
import { UQ_FULL_SCALE } from "../../devs/joint/board-constants.ts"

export interface ChipLoopRegisters {
    p: number
    i: number
    torqueLimitCounts: number
    uqLimitCounts: number
}

/** PIDOUT_UQ_UD_LIMITS after reset (0x5A81) and PID_TORQUE_FLUX_LIMITS after reset (0x7FFF) */
const RESET: ChipLoopRegisters = { p: 0, i: 0, torqueLimitCounts: 0x7fff, uqLimitCounts: 0x5a81 }

export class Tmc4671CurrentLoop {
    regs: ChipLoopRegisters = { ...RESET }
    /** torque mode: the chip closes the loop */
    torqueMode = false
    targetCounts = 0
    private integrator = 0

    /** `ampsPerCount`: the board's Iq scaling (devs/joint/board-constants.ts) */
    constructor(readonly ampsPerCount: number) {}

    configure(regs: ChipLoopRegisters) {
        this.regs = { ...regs }
    }

    reset() {
        this.integrator = 0
    }

    /** the chip lost power: its registers back to their reset values, the loop off */
    powerLost() {
        this.regs = { ...RESET }
        this.torqueMode = false
        this.targetCounts = 0
        this.integrator = 0
    }

    /** One PWM period: the sensed current (A) in, the torque-axis voltage for the next period out. */
    update(sensedA: number, busV: number): number {
        const r = this.regs
        const measured = clamp(Math.round(sensedA / this.ampsPerCount), -32768, 32767)
        const e = clamp(this.targetCounts, -r.torqueLimitCounts, r.torqueLimitCounts) - measured
        const p = r.p / 256
        this.integrator = clamp(this.integrator + (p * (r.i / 256) * e) / 256, -r.uqLimitCounts, r.uqLimitCounts)
        const uq = clamp(p * e + this.integrator, -r.uqLimitCounts, r.uqLimitCounts)
        return (uq * busV) / UQ_FULL_SCALE
    }
}
