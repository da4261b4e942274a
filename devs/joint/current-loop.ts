// The torque-axis current loop: PI on the current error with back-EMF feedforward from the measured
// speed, saturated to the duty limit of the bus voltage.
//
// Default gains come from the actuator's settings, not from tuning: with the electrical pole
// a = exp(-T R / L) of the nominal period T, the discrete PI
//     kp = lambda R a / (1 - a),   ki = lambda R / T
// cancels that pole, leaving a closed loop whose error shrinks by the fraction `lambda`
// (setting currentBw) every period: 10-90 % rise in about 3 periods and 2 % settling in about 6 for
// lambda = 0.5, with no overshoot.
import { PiController } from "../lib/pi"
import { MAX_DUTY } from "./board-constants"
import type { JointConfig } from "./config"


export interface CurrentGains {
    kpVPerA: number
    kiVPerAs: number
}

export function defaultCurrentGains(cfg: JointConfig): CurrentGains {
    const periodS = 1 / cfg.loopHz
    const a = Math.exp((-periodS * cfg.rOhm) / cfg.lH)
    return {
        kpVPerA: (cfg.currentBw * cfg.rOhm * a) / (1 - a),
        kiVPerAs: (cfg.currentBw * cfg.rOhm) / periodS,
    }
}

export class CurrentLoop {
    readonly pi: PiController
    /** back-EMF constant at the output: V per output rad/s */
    readonly keVsPerRad: number

    constructor(cfg: JointConfig) {
        const g = defaultCurrentGains(cfg)
        this.pi = new PiController(g.kpVPerA, g.kiVPerAs)
        this.keVsPerRad = cfg.ktNmPerA * cfg.gearRatio
    }

    reset() {
        this.pi.reset()
    }

    /** torque-axis voltage for a current reference, from measured current and output speed */
    update(currentRefA: number, currentA: number, velocityRadS: number, busV: number, dtS: number): number {
        const backEmfV = this.keVsPerRad * velocityRadS
        return this.pi.update(currentRefA - currentA, dtS, backEmfV, MAX_DUTY * busV)
    }
}
