// The current loop the TMC4671 runs itself (setting currentLoop 1): the firmware designs it (gains and
// limits from the joint's settings, written once) and sets its torque-axis current target each time it
// runs its impedance law; the chip closes the loop every PWM period, in hardware.
//
// The chip's PI (Trinamic / Analog Devices TMC4671 datasheet rev 2.08, "PI Controller" and register
// map), as this firmware sets it up: the advanced (sequential) structure (MODE_RAMP_MODE_MOTION bit 31,
// MODE_PID_TYPE = 1), P and I in Q8.8 (CONFIG_ADDR 62 ADVANCED_PI_REPRESENT = 0), evaluated every PWM
// period on the error e in Iq counts (PID_TORQUE_FLUX_TARGET minus PID_TORQUE_FLUX_ACTUAL):
//     UQ = P/256 e + integrator,   integrator += (P/256 · I/256 · e) / 256   (each PWM period)
// with UQ in counts of the supply (UQ 32768 = V_M). For gains Kp (V/A) and Ki (V/(A s)) that is
//     P = 256 Kp · ampsPerCount · 32768 / V_M,     I = 65536 (Ki / Kp) / f_PWM
// (an earlier datasheet, rev 2.00, has no final / 256 in the integrator: with it, I would be 256 times
// smaller. To be confirmed on the bench with a current step: `hfw bench step`.)
// The design: the PI's zero cancels the winding's pole (Ki / Kp = R / L), and Kp = 2π bw L leaves a
// first-order loop of bandwidth bw (setting chipBwHz): time constant 1 / (2π bw), 10-90 % rise in
// 2.2 of them (0.35 ms at 1 kHz), no overshoot. The target is limited to peakA in the chip
// (PID_TORQUE_FLUX_LIMITS) and the voltage to the bridge's duty limit (PIDOUT_UQ_UD_LIMITS): the
// chip's limits hold whatever the firmware's timing.
import { AMPS_PER_IQ_COUNT, MAX_DUTY, PWM_HZ, UQ_FULL_SCALE } from "./board-constants"
import type { JointConfig } from "./config"

/** the largest value of a signed 16-bit register field */
const S16_MAX = 32767

/** What the firmware writes into the chip for its current loop. */
export interface ChipCurrentLoop {
    /** PID_TORQUE_P (and PID_FLUX_P), Q8.8 */
    p: number
    /** PID_TORQUE_I (and PID_FLUX_I), Q8.8 */
    i: number
    /** PID_TORQUE_FLUX_LIMITS: the largest current target, Iq counts */
    torqueLimitCounts: number
    /** PIDOUT_UQ_UD_LIMITS: the largest voltage, UQ counts */
    uqLimitCounts: number
}

/** The chip's current-loop registers for the joint's settings at bus voltage `busV`. */
export function chipCurrentLoop(cfg: JointConfig, busV: number): ChipCurrentLoop {
    const kpVPerA = 2 * Math.PI * cfg.chipBwHz * cfg.lH
    const zeroPerS = cfg.rOhm / cfg.lH
    return {
        p: fieldS16(256 * kpVPerA * AMPS_PER_IQ_COUNT * (UQ_FULL_SCALE / busV)),
        i: fieldS16((65536 * zeroPerS) / PWM_HZ),
        torqueLimitCounts: fieldS16(cfg.peakA / AMPS_PER_IQ_COUNT),
        uqLimitCounts: fieldS16(MAX_DUTY * UQ_FULL_SCALE),
    }
}

/** A current in amperes as the chip's Iq counts (rounded, within a signed 16-bit field); NaN is 0. */
export function iqCounts(currentA: number): number {
    // (comparisons rather than Math.min and max, and no helper: this runs every period, and a call
    // costs the VM an activation record)
    const c = Math.round(currentA / AMPS_PER_IQ_COUNT)
    return c > S16_MAX ? S16_MAX : c < -S16_MAX ? -S16_MAX : c === c ? c : 0
}

/** 0 ... 32767 */
function fieldS16(x: number): number {
    return Math.max(0, Math.min(S16_MAX, Math.round(x)))
}
