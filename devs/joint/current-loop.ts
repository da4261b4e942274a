// The torque-axis current loop: PI on the current error with back-EMF feedforward from the measured
// speed, saturated to the duty limit of the bus voltage.
//
// The PI's own part (what it applies beyond the back-EMF) stays within the resistance times the peak
// current: the current the winding settles to, (V - back-EMF) / R, can then not pass the peak, whatever
// the current readings say. A loop whose readings lag the winding (a board busy for tens of
// milliseconds under a flood of frames, a stuck sensor before its check trips) otherwise winds up to
// the bus voltage: 107 A against a 70 A peak at 200 Hz in `hfw sim garbage` (seed 2), and up to V/R,
// 380 A, with a reading stuck at zero. A step or a reversal to the peak needs less than this window in
// a period at the loop's rates (R I per period plus the inductance's share, at most 0.64 of it at 1 kHz).
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
    /** the PI's authority beyond the back-EMF: the voltage that drives the peak current through R */
    readonly windowV: number

    constructor(cfg: JointConfig) {
        const g = defaultCurrentGains(cfg)
        this.pi = new PiController(g.kpVPerA, g.kiVPerAs)
        this.keVsPerRad = cfg.ktNmPerA * cfg.gearRatio
        this.windowV = cfg.rOhm * cfg.peakA
    }

    reset() {
        this.pi.reset()
    }

    /** torque-axis voltage for a current reference, from measured current and output speed */
    update(currentRefA: number, currentA: number, velocityRadS: number, busV: number, dtS: number): number {
        const v = this.pi.update(currentRefA - currentA, dtS, 0, this.windowV) + this.keVsPerRad * velocityRadS
        const maxV = MAX_DUTY * busV
        return v < -maxV ? -maxV : v > maxV ? maxV : v
    }
}
