// Plausibility of the joint's sensors: a sensor that goes silent (no value), sticks (the exact same
// value while the bridge drives), or an encoder that jumps further than the joint can move.
import * as ds from "@devicescript/core"

/**
 * consecutive missing samples that make a sensor silent. After a missing one the board reads again at
 * once (JointController.resampleNow): a silent sensor trips an SPI round trip after its first miss.
 */
export const SILENT_SAMPLES = 2
/** consecutive bit-identical current samples, bridge driving, that make the current sensor stuck */
export const STUCK_SAMPLES = 50
/** encoder resolution: 14 bits per turn */
export const ENCODER_LSB_RAD = (2 * Math.PI) / 16384
/** the board's clock resolution: a measured period may be this much short of the true one */
export const CLOCK_RESOLUTION_S = 0.001

export class SensorChecks {
    private currentMissing = 0
    private angleMissing = 0
    private currentRepeats = 0
    private lastCurrent = NaN
    private lastAngle = NaN

    constructor(private maxVelRadS: number) {}

    /**
     * Returns the fault this sample shows, or None. `driving` is true while the bridge applies
     * voltage (a live current sensor then never repeats a value bit for bit for long).
     */
    check(currentA: number, angleRad: number, dtS: number, driving: boolean): ds.BoardFaultCode {
        // (x - x === 0: x is finite; the test written out, not called, on this per-step path)
        const currentOk = currentA - currentA === 0
        const angleOk = angleRad - angleRad === 0
        this.currentMissing = currentOk ? 0 : this.currentMissing + 1
        this.angleMissing = angleOk ? 0 : this.angleMissing + 1
        if (this.currentMissing >= SILENT_SAMPLES) return ds.BoardFaultCode.CurrentSensorSilent
        if (this.angleMissing >= SILENT_SAMPLES) return ds.BoardFaultCode.AngleSensorSilent

        if (currentOk) {
            this.currentRepeats = driving && currentA === this.lastCurrent ? this.currentRepeats + 1 : 0
            this.lastCurrent = currentA
            if (this.currentRepeats >= STUCK_SAMPLES) return ds.BoardFaultCode.CurrentSensorStuck
        }
        if (angleOk) {
            const lastAngle = this.lastAngle
            if (lastAngle - lastAngle === 0) {
                const maxStepRad = this.maxVelRadS * (dtS + CLOCK_RESOLUTION_S) + 4 * ENCODER_LSB_RAD
                const stepRad = angleRad - lastAngle
                if (stepRad > maxStepRad || stepRad < -maxStepRad) {
                    this.lastAngle = angleRad
                    return ds.BoardFaultCode.EncoderJump
                }
            }
            this.lastAngle = angleRad
        }
        return ds.BoardFaultCode.None
    }
}
