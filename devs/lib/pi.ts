// Discrete PI controller with feedforward, output saturation and conditional-integration
// anti-windup: the integrator does not grow while the output is pushed into its limit.
export class PiController {
    integral = 0
    saturated = false

    /**
     * @param kp proportional gain (output units per error unit)
     * @param ki integral gain (output units per error unit per second)
     */
    constructor(
        public kp: number,
        public ki: number
    ) {}

    reset() {
        this.integral = 0
        this.saturated = false
    }

    /**
     * One update with the measured period `dtS`: integrates first (so a step acts through both gains
     * at once), adds `feedforward` and saturates to ±`limit`.
     */
    update(error: number, dtS: number, feedforward: number, limit: number): number {
        const integral = this.integral + this.ki * error * dtS
        const unsat = this.kp * error + integral + feedforward
        // (the clamps written out: the firmware's current loop runs this every period, and a call costs
        // the VM an activation record on its heap)
        const out = unsat < -limit ? -limit : unsat > limit ? limit : unsat
        this.saturated = out !== unsat
        const pushing = (unsat > limit && error > 0) || (unsat < -limit && error < 0)
        if (!pushing) this.integral = integral < -limit ? -limit : integral > limit ? limit : integral
        return out
    }
}
