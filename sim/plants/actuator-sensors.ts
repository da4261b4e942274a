// What the joint board's sensors make of the actuator (design/plant.md): torque-axis current through
// a shunt amplifier and a 12-bit ADC (noise, a power-up offset, quantisation, full-scale range), the
// output angle from a 14-bit absolute encoder mounted at some zero and direction (it counts its own
// turn, 0 to 2π, as the AS5047P does; the firmware maps that to the joint angle with its settings
// encZeroRad and encDir), the winding temperature from an NTC with a lag, and the bus voltage.
// Faults can be injected: a sensor that goes silent, sticks, or (encoder) jumps.
import type { Random } from "../random.ts"
import type { Actuator } from "./actuator.ts"
import { clamp } from "../numbers.ts"

export interface SensorParams {
    currentRangeA: number
    currentNoiseA: number
    /** the offset is drawn uniformly in ±currentOffsetMaxA at power-up */
    currentOffsetMaxA: number
    ntcNoiseC: number
    ntcLagS: number
    /** the encoder's angle at joint angle 0 (how it is mounted; the board's encZeroRad when calibrated) */
    encoderZeroRad: number
    /** 1: the encoder counts up as the joint angle grows; -1: down (the board's encDir when calibrated) */
    encoderDir: number
}

export const SENSORS: Record<"large" | "small", SensorParams> = {
    large: { currentRangeA: 100, currentNoiseA: 0.2, currentOffsetMaxA: 0.5, ntcNoiseC: 0.5, ntcLagS: 2, encoderZeroRad: 0, encoderDir: 1 },
    small: { currentRangeA: 50, currentNoiseA: 0.2, currentOffsetMaxA: 0.5, ntcNoiseC: 0.5, ntcLagS: 2, encoderZeroRad: 0, encoderDir: 1 },
}

/** `p` with the encoder mounted as a joint's settings (encZeroRad, encDir) say: a calibrated joint */
export function mountedAsSettings(p: SensorParams, settings: Record<string, number>): SensorParams {
    return { ...p, encoderZeroRad: settings.encZeroRad, encoderDir: settings.encDir }
}

const ADC_BITS = 12
const ENCODER_COUNTS = 16384

export type SensorFault = "none" | "current-silent" | "current-stuck" | "current-spike" | "angle-silent" | "encoder-jump"

/** what a current sense reading pinned near the top of its range reads (a shorted shunt amplifier) */
const SPIKE_FRACTION_OF_RANGE = 0.95

export interface ActuatorSample {
    timestampUs: number
    currentA: number
    /** the output encoder's own angle, 0 to 2π in 14-bit steps */
    encoderRad: number
    windingNtcC: number
    busV: number
}

export class ActuatorSensors {
    readonly currentOffsetA: number
    fault: SensorFault = "none"
    private ntcC: number
    private lastUs = -1
    private stuckCurrentA = NaN

    constructor(
        readonly p: SensorParams,
        private actuator: Actuator,
        private random: Random
    ) {
        this.currentOffsetA = (2 * random.uniform() - 1) * p.currentOffsetMaxA
        this.ntcC = actuator.windingC
    }

    sample(nowUs: number): ActuatorSample {
        const a = this.actuator
        const dtS = this.lastUs < 0 ? 0 : (nowUs - this.lastUs) / 1e6
        this.lastUs = nowUs
        this.ntcC = a.windingC + (this.ntcC - a.windingC) * Math.exp(-dtS / this.p.ntcLagS)

        const lsbA = (2 * this.p.currentRangeA) / 2 ** ADC_BITS
        const sensedA = a.currentA + this.currentOffsetA + this.random.normal(this.p.currentNoiseA)
        let currentA = Math.round(clamp(sensedA, -this.p.currentRangeA, this.p.currentRangeA - lsbA) / lsbA) * lsbA
        const countsPerRad = ENCODER_COUNTS / (2 * Math.PI)
        const counts = Math.round(turn(this.p.encoderZeroRad + this.p.encoderDir * a.angleRad) * countsPerRad) % ENCODER_COUNTS
        let encoderRad = counts / countsPerRad

        if (this.fault === "current-silent") currentA = NaN
        if (this.fault === "current-spike") currentA = SPIKE_FRACTION_OF_RANGE * this.p.currentRangeA
        if (this.fault === "current-stuck") currentA = Number.isNaN(this.stuckCurrentA) ? (this.stuckCurrentA = currentA) : this.stuckCurrentA
        if (this.fault === "angle-silent") encoderRad = NaN
        if (this.fault === "encoder-jump") encoderRad = turn(encoderRad + 1)

        return {
            timestampUs: nowUs % 2 ** 32,
            currentA,
            encoderRad,
            windingNtcC: this.ntcC + this.random.normal(this.p.ntcNoiseC),
            busV: a.p.busV,
        }
    }
}


/** into [0, 2π): one turn of an absolute encoder */
export function turn(rad: number): number {
    return rad - 2 * Math.PI * Math.floor(rad / (2 * Math.PI))
}
