// The joint's control code, pure: measurement in, bridge command out. One `step` per sample, on every
// wake that brings one (the loop's own period, and each command from the body controller):
//   fast path, every step: sensor checks, current offset calibration, velocity estimate, the
//     over-current trip, the watchdog, the mode's torque law (impedance or damping) or current
//     setpoint, limits, and the current target for the chip's loop (setting currentLoop 1) or the
//     firmware's own current loop (currentLoop 0);
//   slow path, at most every SLOW_PERIOD_US: the winding temperature estimate, the over-temperature
//     trip, the derated current limit, the loop's timing statistics.
// The clock is the board's: whole milliseconds on a board, so a measured period of 0 (two samples in
// one millisecond: a command's wake) is normal; it updates nothing that needs a period, and drops
// nothing. Commands arrive through the methods below; the fault state machine latches the first
// fault and puts the joint in its safe state in the same step. No object is allocated per step (a call
// allocates its activation record: the step makes few).
//
// One command source (services/jointactuator.md): enable opens a session with a new token, every
// drive command must carry it (one compare per command), and disable, any fault (the watchdog's too)
// or a restart end it.
//
// Modes and their transitions (moteus documents its modes the same way):
//   Disabled  -> Damping (enable, no fault latched: opens a session)
//   Damping   -> Impedance (impedance), Current (current), Disabled (disable; or the damping time of
//                a fault's safe state runs out)
//   Impedance, Current -> each other, Damping (watchdog: the fault's safe state), Disabled (disable,
//                or a fault whose sensors cannot be trusted)
import * as ds from "@devicescript/core"
import { FaultLatch } from "../lib/fault-latch"
import { LoopTiming } from "../lib/loop-timing"
import { LowPass } from "../lib/lowpass"
import { HALF_U32_SPAN, U32_SPAN } from "../lib/stamps"
import { WindingThermalModel, deratedCurrentLimit } from "../lib/thermal"
import { chipCurrentLoop, type ChipCurrentLoop } from "./chip-current-loop"
import type { JointConfig } from "./config"
import { CurrentLoop } from "./current-loop"
import { SensorChecks } from "./sensor-checks"
import { CURRENT_LOOP_CHIP } from "./settings-schema"

/**
 * how long the current sense offset is averaged, bridge off, at start-up, before the joint may drive;
 * it goes on averaging every sample after that until the joint is first enabled (see `step`)
 */
export const OFFSET_CALIBRATION_US = 200_000
/** ... and over at least this many samples */
export const OFFSET_MIN_SAMPLES = 10
/** the slow path's period: thermal estimate, derating, loop statistics */
export const SLOW_PERIOD_US = 20_000
/** velocity estimate low-pass time constant */
export const VELOCITY_FILTER_S = 0.004
/** an impedance setpoint's position is carried forward with its velocity for at most this long */
export const SETPOINT_EXTRAPOLATION_MAX_US = 50_000

export interface Sample {
    /** board clock at the sample, microseconds (wraps at 2^32) */
    timestampUs: number
    /** torque-axis current as sensed, before offset correction; NaN when the sensor gave nothing */
    currentA: number
    /** output angle; NaN when the encoder gave nothing */
    angleRad: number
    windingNtcC: number
    busV: number
}

/** What the power stage is told each step: the bridge on or off, and the torque-axis voltage (the
 * firmware's current loop) or current target (the chip's, offset-compensated: the chip regulates the
 * current it senses, offset included). */
export interface BridgeCommand {
    bridgeOn: boolean
    voltageV: number
    currentA: number
}

/** the samples the offset calibration takes at `loopHz` */
export function offsetSamples(cfg: JointConfig): number {
    return Math.max(OFFSET_MIN_SAMPLES, Math.ceil((OFFSET_CALIBRATION_US * cfg.loopHz) / 1e6))
}

/** steps after the bridge comes on over which the current reference is ramped in (see control) */
export const RAMP_IN_STEPS = 4

// ---- The controller's private state: module-level variables, each set by the constructor. A board
// runs one joint, so one controller; constructing one sets this state afresh (the unit tests build
// one at a time), and `step` refuses a controller that is no longer the live one. Why not fields: the VM reads a module's variable
// by index, about 84 counted WebAssembly instructions, and an object's field by comparing names, about
// 600 at the first field and 27 more for each field before it (a loop of reads in `hfw sim run`). Moving
// these forty here from the object cut the joints' counted work by 10-13 % (a bench thermal hold at
// 1 kHz, a walk at 100 Hz). ----

/** the controller constructed last: the one this state belongs to */
let live: JointController = null
// the clock: the last sample's stamp, unwrapped board time, and the impedance setpoint's own time
// (when it arrived, on the same clock: extrapolation's time)
let _lastUs: number
let _nowUs: number
let _setpointUs: number
let _checks: SensorChecks
let _prevAngleRad: number
let _velocity: LowPass
/** time the slow path has not yet accounted for, and the current's square integrated over it */
let _slowUs: number
let _currentSqUs: number
// the settings the step reads, copied once (derived constants when the configuration is set)
let _tripA: number
let _tripC: number
let _watchdogUs: number
let _posMinRad: number
let _posMaxRad: number
let _maxTorqueNm: number
let _maxVelRadS: number
let _maxRefStepA: number
let _rampInStepA: number
let _rampInVelRadS: number
let _torquePerAmpNm: number
/** half the control period: each step's torque is held that long on average */
let _halfPeriodUs: number
let _chipMode: boolean
/** the joint follows a leg's setpoint frame (setting legSlot) */
let _followsLeg: boolean
/** control steps since the bridge came on (counted up to RAMP_IN_STEPS) */
let _onSteps: number
/** when the joint last heard a leg frame */
let _lastLegFrameUs: number
// setpoints
/** the last drive command, dated by the sample before it (the watchdog's time) */
let _lastCommandUs: number
let _posRad: number
let _velRadS: number
let _kpNmRad: number
let _kdNmsRad: number
let _ffNm: number
let _ffRateNmS: number
let _currentCmdA: number
/** the current limit, derated with the winding's temperature */
let _limitA: number
/** the command of the last step, updated in place */
let _cmd: BridgeCommand
/** the token the next session gets */
let _nextToken: number
let _dampingSinceUs: number
let _offsetSum: number
let _offsetCount: number
let _offsetTarget: number
let _thermal: WindingThermalModel

/**
 * What runs on every sample or command is static, called with the controller: `step` and its helpers
 * (control, slowPath, off), `impedance`, `current`, `heardLegFrame` and the telemetry's
 * `outputTorqueNm`. The VM finds an instance's method only after comparing its name with every
 * field's, as strings, before it looks in the class (objects.c `lookup`): a method call cost about
 * 100 µs on the modelled S3 when this object had fifty fields (joint-track: 1.3 points of CPU load at
 * 100 Hz for `control` alone). A static one is found at once.
 */
export class JointController {
    // ---- What the servers, the board's loop and the tests read, in about the order the step uses
    // them (the VM finds a field by scanning an object's fields in order) ----
    /**
     * the last sample missed a value (not yet a silent sensor): the board reads a fresh one at once,
     * so a silent sensor trips an SPI round trip after its first miss rather than a period later
     */
    resampleNow = false
    mode = ds.JointActuatorMode.Disabled
    calibrated = false
    /** not yet enabled: the bridge has been off since boot, and every sample refines the offset */
    refiningOffset = true
    // measurements, after correction
    currentA = 0
    offsetA = 0
    angleRad = 0
    velocityRadS = 0
    timing: LoopTiming = null
    tempC = 0
    readonly fault = new FaultLatch()
    // outputs
    torqueRefNm = 0
    currentRefA = 0
    /** the control period that just ended, measured from the samples' timestamps */
    periodUs = 0
    /** the open session's token, 0 when none (read once per command, after the step's fields) */
    token = 0
    /** the chip's current loop, designed once the offset is known (currentLoop 1) */
    chipLoop: ChipCurrentLoop | undefined
    readonly loop: CurrentLoop
    readonly cfg: JointConfig

    /**
     * `firstToken`: the first session's token, 1..65535 (the board draws it at random at boot). The
     * controller constructed last is the live one (the state above is its)
     */
    constructor(cfg: JointConfig, firstToken = 1) {
        live = this
        this.cfg = cfg
        _lastUs = -1
        _nowUs = 0
        _setpointUs = 0
        _prevAngleRad = NaN
        _slowUs = 0
        _currentSqUs = 0
        _onSteps = 0
        _lastLegFrameUs = 0
        _lastCommandUs = 0
        _posRad = 0
        _velRadS = 0
        _kpNmRad = 0
        _kdNmsRad = 0
        _ffNm = 0
        _ffRateNmS = 0
        _currentCmdA = 0
        _cmd = { bridgeOn: false, voltageV: 0, currentA: 0 }
        _dampingSinceUs = 0
        _offsetSum = 0
        _offsetCount = 0
        _nextToken = firstToken
        _checks = new SensorChecks(cfg.maxVelRadS)
        _velocity = new LowPass(VELOCITY_FILTER_S)
        this.timing = new LoopTiming(1e6 / cfg.loopHz, Math.round(cfg.loopHz))
        this.tempC = cfg.ambientC
        _tripA = cfg.tripA
        _tripC = cfg.tripC
        _watchdogUs = cfg.watchdogUs
        _posMinRad = cfg.posMinRad
        _posMaxRad = cfg.posMaxRad
        _maxTorqueNm = cfg.torqueNm
        _maxVelRadS = cfg.maxVelRadS
        _maxRefStepA = cfg.peakA
        _rampInStepA = cfg.peakA / RAMP_IN_STEPS
        // the output speed at which the back-EMF drives rampInStepA through the winding's resistance
        _rampInVelRadS = (_rampInStepA * cfg.rOhm) / (cfg.ktNmPerA * cfg.gearRatio)
        _torquePerAmpNm = cfg.ktNmPerA * cfg.gearRatio * cfg.gearEff
        _halfPeriodUs = 5e5 / cfg.loopHz
        _chipMode = cfg.currentLoop === CURRENT_LOOP_CHIP
        _followsLeg = cfg.legSlot >= 0
        _limitA = cfg.peakA
        _offsetTarget = offsetSamples(cfg)
        _thermal = new WindingThermalModel(cfg.rOhm, cfg.rthKPerW, cfg.tauThS, cfg.ambientC)
        this.loop = new CurrentLoop(cfg)
    }

    /** output torque estimated from the measured current (before gearbox friction) */
    static outputTorqueNm(c: JointController): number {
        return c.currentA * _torquePerAmpNm
    }

    // ---- commands (return false when refused) ----

    /** a leg setpoint frame arrived (services/legsetpoints.md), with or without a setpoint for this joint */
    static heardLegFrame(c: JointController) {
        _lastLegFrameUs = _nowUs
    }

    /**
     * Arms the joint and opens a session: 0, the session's token in `token`; or why it was refused (a
     * ds.JointActuatorRefusalReason): a fault latched, a session already open (another controller's,
     * or this one's whose reply was lost: disable ends it), or the current offset not yet measured (an
     * armed joint would report its mode with its bridge still off, then drive at once when done).
     */
    enable(): number {
        if (this.fault.isActive()) return ds.JointActuatorRefusalReason.FaultLatched
        if (this.token !== 0) return ds.JointActuatorRefusalReason.SessionOpen
        if (!this.calibrated) return ds.JointActuatorRefusalReason.Calibrating
        this.token = _nextToken
        // the offset is held from now on: the bridge may drive current from the next sample
        this.refiningOffset = false
        // counting, so that a token of an ended session does not come back for 65534 sessions
        _nextToken = _nextToken >= 65535 ? 1 : _nextToken + 1
        this.enterMode(ds.JointActuatorMode.Damping)
        _lastCommandUs = _nowUs
        return 0
    }

    /** bridge off, the session ended: obeyed from anyone, as a stop must be */
    disable() {
        this.enterMode(ds.JointActuatorMode.Disabled)
    }

    /** 0 when a drive command carrying `token` may drive the joint, else why not (a ds.JointActuatorRefusalReason) */
    sessionRefusal(token: number): number {
        if (this.mode === ds.JointActuatorMode.Disabled || this.fault.isActive()) return ds.JointActuatorRefusalReason.NotArmed
        if (token === this.token) return 0
        return token ? ds.JointActuatorRefusalReason.WrongToken : ds.JointActuatorRefusalReason.NoToken
    }

    /**
     * an impedance setpoint with its session token, arrived at `atBoardUs` (the board's microsecond
     * clock, as the samples are stamped): 0 when obeyed, else why it was refused (and nothing changed)
     */
    static impedance(c: JointController, token: number, posRad: number, velRadS: number, kpNmRad: number, kdNmsRad: number, ffNm: number, atBoardUs: number): number {
        const mode = c.mode
        // (sessionRefusal's test written out: a call costs the VM an activation record, and this runs on every setpoint)
        if (mode === ds.JointActuatorMode.Disabled || c.fault.code !== ds.BoardFaultCode.None || token !== c.token) return c.sessionRefusal(token)
        // (x - x === 0: x is finite; no array, no call)
        const finite = posRad - posRad === 0 && velRadS - velRadS === 0 && kpNmRad - kpNmRad === 0 && kdNmsRad - kdNmsRad === 0 && ffNm - ffNm === 0
        if (!finite) return ds.JointActuatorRefusalReason.NotFinite
        // (the limits written out, as on the step's path)
        const posMinRad = _posMinRad
        const posMaxRad = _posMaxRad
        _posRad = posRad < posMinRad ? posMinRad : posRad > posMaxRad ? posMaxRad : posRad
        const maxVel = c.cfg.maxVelRadS
        _velRadS = velRadS < -maxVel ? -maxVel : velRadS > maxVel ? maxVel : velRadS
        _kpNmRad = kpNmRad > 0 ? kpNmRad : 0
        _kdNmsRad = kdNmsRad > 0 ? kdNmsRad : 0
        const maxNm = _maxTorqueNm
        const ff = ffNm < -maxNm ? -maxNm : ffNm > maxNm ? maxNm : ffNm
        // The setpoint is carried on from when it arrived: dated by the sample before it, one that
        // arrived late in a period was carried up to a period too far (a knee re-armed at another phase
        // of its loop led its reference by 2.5 deg in swing). The board's clock since that sample, the
        // nearest way round the 32-bit wrap of the samples' stamps (no % here: DeviceScript's is a
        // 32-bit integer remainder; and no builtin, whose call costs more than these compares).
        let sinceSampleUs = atBoardUs - _lastUs
        while (sinceSampleUs >= HALF_U32_SPAN) sinceSampleUs -= U32_SPAN
        while (sinceSampleUs < -HALF_U32_SPAN) sinceSampleUs += U32_SPAN
        const setUs = _lastUs < 0 ? _nowUs : _nowUs + sinceSampleUs
        // the feedforward's slope from the last setpoint to this one, to carry it on between them as
        // the position is carried on with its velocity (two setpoints in the same instant keep the slope)
        const sinceUs = setUs - _setpointUs
        if (mode !== ds.JointActuatorMode.Impedance || sinceUs > SETPOINT_EXTRAPOLATION_MAX_US) _ffRateNmS = 0
        else if (sinceUs > 0) _ffRateNmS = ((ff - _ffNm) * 1e6) / sinceUs
        _ffNm = ff
        if (mode !== ds.JointActuatorMode.Impedance) c.enterMode(ds.JointActuatorMode.Impedance)
        _lastCommandUs = _nowUs
        _setpointUs = setUs
        return 0
    }

    /**
     * a current setpoint with its session token: 0 when obeyed, else why it was refused. Static, as
     * impedance: it runs on every current command (and every sample of a capture's excitation)
     */
    static current(c: JointController, token: number, currentA: number): number {
        const mode = c.mode
        if (mode === ds.JointActuatorMode.Disabled || c.fault.code !== ds.BoardFaultCode.None || token !== c.token) return c.sessionRefusal(token)
        // (the finiteness test and the clamp written out: a call costs the VM an activation record)
        if (currentA - currentA !== 0) return ds.JointActuatorRefusalReason.NotFinite
        const peakA = c.cfg.peakA
        _currentCmdA = currentA < -peakA ? -peakA : currentA > peakA ? peakA : currentA
        if (mode !== ds.JointActuatorMode.Current) c.enterMode(ds.JointActuatorMode.Current)
        _lastCommandUs = _nowUs
        return 0
    }

    /** clears a latched fault whose cause is gone; the joint stays disabled */
    clearFault(): boolean {
        if (this.fault.code === ds.BoardFaultCode.OverTemperature && this.tempC >= this.cfg.derateC) return false
        // new settings, or a restart with the chips answering
        if (this.fault.code === ds.BoardFaultCode.InvalidSetting || this.fault.code === ds.BoardFaultCode.HardwareStart) return false
        this.fault.clear()
        this.enterMode(ds.JointActuatorMode.Disabled)
        return true
    }

    /** a fault found outside the loop (settings, restart) */
    raise(code: ds.BoardFaultCode, detail: number) {
        this.tripOff(code, detail)
    }

    // ---- the control period ----

    static step(c: JointController, s: Sample): BridgeCommand {
        if (c !== live) throw new Error("JointController.step: not the controller constructed last (the controller's state is the board's one joint's)")
        // the 32-bit microsecond clock unwrapped (written out, as the rest of the step's path: a call
        // costs the VM an activation record, and a method of this object a lookup past every field)
        let dtUs = 0
        if (_lastUs < 0) _lastUs = s.timestampUs
        else {
            // The stamps are 32-bit microseconds: a difference of more than half their span either way
            // is the clock's wrap. What is left below zero is a sample older than the last one: the
            // late answer to a request, after the loop went on with a missing sample dated a period on
            // (main.ts). It moves no clock and integrates nothing: read as a wrap, it was a step of 71
            // minutes that wound the current loop's integrator to the bus voltage at once (348 A in the
            // faults scenario's garbage case, firmware loop at 200 Hz).
            dtUs = s.timestampUs - _lastUs
            if (dtUs < -HALF_U32_SPAN) dtUs += U32_SPAN
            else if (dtUs >= HALF_U32_SPAN) dtUs -= U32_SPAN
            if (dtUs > 0) {
                _lastUs = s.timestampUs
                _nowUs += dtUs
            } else dtUs = 0
        }
        const dtS = dtUs / 1e6
        if (dtUs > 0) c.periodUs = dtUs
        const driving = c.mode !== ds.JointActuatorMode.Disabled
        const sensorFault = _checks.check(s.currentA, s.angleRad, dtS, driving)
        if (sensorFault !== ds.BoardFaultCode.None) return c.tripOff(sensorFault, 0)
        // one missing value is not yet a silent sensor: hold the last command rather than feed a
        // NaN into the estimators, where it would stay (x - x === 0: x is finite), and look again
        if (!(s.currentA - s.currentA === 0 && s.angleRad - s.angleRad === 0)) {
            c.resampleNow = true
            return _cmd
        }

        // The current offset: the mean of every sample from boot until the first enable (the bridge off
        // all along); the joint may drive once offsetTarget of them are in. The offset's error is the chip
        // loop's steady-state error: 20 samples at 100 Hz left 0.49 % of a joint-step's amplitude (one
        // sigma; over 1 % in 2 of 40 seeds), and a controller arms the joint some 300 ms after that.
        if (c.refiningOffset) {
            _offsetSum += s.currentA
            _offsetCount++
            c.offsetA = _offsetSum / _offsetCount
        }
        if (!c.calibrated) return c.calibrateOffset(s.busV)
        c.currentA = s.currentA - c.offsetA
        c.angleRad = s.angleRad
        if (dtUs > 0) {
            const prev = _prevAngleRad
            const rawVel = prev - prev === 0 ? (s.angleRad - prev) / dtS : 0
            _prevAngleRad = s.angleRad
            c.velocityRadS = _velocity.update(rawVel, dtS)
            _slowUs += dtUs
            _currentSqUs += c.currentA * c.currentA * dtUs
            LoopTiming.add(c.timing, dtUs)
        }
        if (_slowUs >= SLOW_PERIOD_US) JointController.slowPath(c, s.windingNtcC)

        // (comparisons, not Math.abs: a builtin's lookup by name costs more than the arithmetic)
        const currentA = c.currentA
        if (currentA > _tripA || currentA < -_tripA)
            return c.tripOff(ds.BoardFaultCode.OverCurrent, Math.round(Math.abs(currentA) * 1000))
        // the winding model moves on the slow path; the NTC's reading, a floor under it, is taken on
        // every step, so a hot winding the sensor shows trips at once rather than a slow period later
        if (s.windingNtcC > c.tempC) c.tempC = s.windingNtcC
        if (c.tempC >= _tripC) return c.tripOff(ds.BoardFaultCode.OverTemperature, Math.round(c.tempC * 1000))
        const mode = c.mode
        const commanded = mode === ds.JointActuatorMode.Current || mode === ds.JointActuatorMode.Impedance
        // (the joint dates a command by its last sample, so it trips at the first sample a watchdog
        // time after that one: between one period before and the timeout after the command arrived)
        if (commanded && _nowUs - _lastCommandUs >= _watchdogUs) {
            // no leg frame either: the joint hears nothing of its bus (a joint with no slot cannot tell)
            const busLost = _followsLeg && _nowUs - _lastLegFrameUs >= _watchdogUs
            c.fault.raise(busLost ? ds.BoardFaultCode.BusLoss : ds.BoardFaultCode.CommandWatchdog, 0)
            c.token = 0 // the session ends with its controller's commands
            c.enterSafeDamping()
        }
        return JointController.control(c, s.busV, dtS)
    }

    /** the winding's temperature (model, from the RMS current since the last time, and NTC) and the current limit it allows */
    private static slowPath(c: JointController, windingNtcC: number) {
        const rmsA = Math.sqrt(_currentSqUs / _slowUs)
        c.tempC = Math.max(_thermal.update(rmsA, _slowUs / 1e6), windingNtcC)
        _limitA = deratedCurrentLimit(c.cfg.peakA, c.tempC, c.cfg.derateC, c.cfg.tripC)
        _slowUs = 0
        _currentSqUs = 0
    }

    private static control(c: JointController, busV: number, dtS: number): BridgeCommand {
        if (c.mode === ds.JointActuatorMode.Disabled) {
            c.currentRefA = 0
            c.torqueRefNm = 0
            return JointController.off(c)
        }
        if (c.mode === ds.JointActuatorMode.Damping && c.fault.isActive()) {
            if (_nowUs - _dampingSinceUs >= c.cfg.dampUs) {
                c.enterMode(ds.JointActuatorMode.Disabled)
                return JointController.off(c)
            }
        }
        // (the clamps and the soft limits are written out: a call on this per-step path costs the VM an
        // activation record on its heap, and each field read a lookup by name: locals are cheap)
        const posMinRad = _posMinRad
        const posMaxRad = _posMaxRad
        const angleRad = c.angleRad
        const velocityRadS = c.velocityRadS
        let torqueNm: number
        if (c.mode === ds.JointActuatorMode.Current) torqueNm = _currentCmdA * _torquePerAmpNm
        else if (c.mode === ds.JointActuatorMode.Impedance) {
            // between setpoints (the body controller sends them at tens to hundreds of Hz) the
            // position moves on with the commanded velocity and the feedforward with its slope, instead
            // of standing still; and aimed at the middle of the period this torque will be held for
            const velRadS = _velRadS
            const sinceUs = _nowUs - _setpointUs + _halfPeriodUs
            const aheadS = (sinceUs < SETPOINT_EXTRAPOLATION_MAX_US ? sinceUs : SETPOINT_EXTRAPOLATION_MAX_US) / 1e6
            let posRad = _posRad + velRadS * aheadS
            posRad = posRad < posMinRad ? posMinRad : posRad > posMaxRad ? posMaxRad : posRad
            torqueNm =
                _kpNmRad * (posRad - angleRad) + _kdNmsRad * (velRadS - velocityRadS) + _ffNm + _ffRateNmS * aheadS
        } else torqueNm = -c.cfg.dampKdNmsRad * velocityRadS
        const maxNm = _maxTorqueNm
        torqueNm = torqueNm < -maxNm ? -maxNm : torqueNm > maxNm ? maxNm : torqueNm
        // beyond a soft limit, torque that pushes further out is cut
        if ((angleRad > posMaxRad && torqueNm > 0) || (angleRad < posMinRad && torqueNm < 0)) torqueNm = 0
        // beyond the speed limit, torque that speeds it up further is cut: near it the motor's back-EMF
        // reaches the bus voltage and the bridge no longer controls the current (garbage current
        // commands spun a free link up until its current reached 111 A against a 70 A limit)
        const maxVel = _maxVelRadS
        if ((velocityRadS > maxVel && torqueNm > 0) || (velocityRadS < -maxVel && torqueNm < 0)) torqueNm = 0
        c.torqueRefNm = torqueNm
        const limitA = _limitA
        let currentRefA = torqueNm / _torquePerAmpNm
        currentRefA = currentRefA < -limitA ? -limitA : currentRefA > limitA ? limitA : currentRefA
        // With the link turning, a full-scale step of the chip's target overshot past the trip level (by
        // up to 40 A): most when the bridge had just come on (the chip's integrator starting from nothing
        // against the back-EMF), or on a full reversal (found by sim garbage: full-scale current commands
        // of either sign, enable, disable). So the reference moves by at most the peak current per step,
        // and, when the bridge comes on with the joint turning fast enough for its back-EMF alone to
        // drive a quarter of the peak current, by a quarter of it for the first RAMP_IN_STEPS steps.
        const cmd = _cmd
        const prevA = c.currentRefA
        const turning = velocityRadS > _rampInVelRadS || velocityRadS < -_rampInVelRadS
        const stepA = _onSteps < RAMP_IN_STEPS && turning ? _rampInStepA : _maxRefStepA
        if (_onSteps < RAMP_IN_STEPS) _onSteps++
        currentRefA = currentRefA > prevA + stepA ? prevA + stepA : currentRefA < prevA - stepA ? prevA - stepA : currentRefA
        c.currentRefA = currentRefA
        cmd.bridgeOn = true
        if (_chipMode) cmd.currentA = currentRefA + c.offsetA
        else if (dtS > 0) cmd.voltageV = c.loop.update(currentRefA, c.currentA, velocityRadS, busV, dtS)
        return cmd
    }

    private static off(c: JointController): BridgeCommand {
        const cmd = _cmd
        cmd.bridgeOn = false
        c.currentRefA = 0
        _onSteps = 0
        cmd.voltageV = 0
        cmd.currentA = 0
        return cmd
    }


    /** latch the fault, bridge off at once (the sensors or the power stage cannot be trusted); the session ends */
    private tripOff(code: ds.BoardFaultCode, detail: number): BridgeCommand {
        this.fault.raise(code, detail)
        this.enterMode(ds.JointActuatorMode.Disabled)
        return JointController.off(this)
    }

    /** the safe state for faults that leave the sensors sound: damping where configured, else off */
    private enterSafeDamping() {
        const damp = this.cfg.dampKdNmsRad > 0 && this.cfg.dampUs > 0 && this.mode !== ds.JointActuatorMode.Disabled
        this.enterMode(damp ? ds.JointActuatorMode.Damping : ds.JointActuatorMode.Disabled)
    }

    /** the offset's first estimate is in once offsetTarget samples are (step averages them); bridge off until then */
    private calibrateOffset(busV: number): BridgeCommand {
        if (_offsetCount >= _offsetTarget) {
            this.calibrated = true
            if (_chipMode) this.chipLoop = chipCurrentLoop(this.cfg, busV)
        }
        return JointController.off(this)
    }

    private enterMode(mode: ds.JointActuatorMode) {
        if (mode === this.mode) return
        if (mode === ds.JointActuatorMode.Damping) _dampingSinceUs = _nowUs
        if (mode === ds.JointActuatorMode.Disabled) {
            this.loop.reset()
            this.token = 0 // disabled, the session is over
        }
        this.mode = mode
    }
}
