// A small DC gearmotor with a position potentiometer on its output, as in a hobby servo: the speed
// follows the duty through a first-order lag, the output position is the integral of speed and
// stops at the ends of travel. Positions are fractions of travel (0..1).

export interface GearmotorParams {
    /** output speed at full duty, travel fractions per second */
    maxSpeedPerS: number
    /** mechanical time constant */
    timeConstantS: number
    initialPosition: number
}

export class Gearmotor {
    // (a number from the start: see Actuator.windingC)
    position = 0
    /** travel fractions per second */
    speedPerS = 0

    constructor(readonly p: GearmotorParams) {
        this.position = p.initialPosition
    }

    /** Exact step of the first-order speed lag for a constant duty over dtS. */
    step(dtS: number, input: { duty: number }) {
        const duty = Math.max(-1, Math.min(1, input.duty))
        const target = duty * this.p.maxSpeedPerS
        const decay = Math.exp(-dtS / this.p.timeConstantS)
        const speed0 = this.speedPerS
        this.speedPerS = target + (speed0 - target) * decay
        // integral of the speed over the step
        this.position += target * dtS + (speed0 - target) * this.p.timeConstantS * (1 - decay)
        if (this.position <= 0 || this.position >= 1) {
            this.position = Math.min(1, Math.max(0, this.position))
            this.speedPerS = 0
        }
    }
}
