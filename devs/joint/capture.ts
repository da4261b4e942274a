// The bench capture (services/jointactuator.md, `capture`): records the control loop's signals at the
// loop rate into RAM, each stored sample the mean over `decimation` periods, optionally while driving
// the current reference itself (a step or a sine, synchronous with the samples). The host reads it out
// afterwards in chunks within the send budget: a step response lasting a few milliseconds cannot be
// seen through 40 ms telemetry.
import * as ds from "@devicescript/core"
import { isFiniteNumber, sine } from "../lib/math"

export const CAPTURE_MAX_SAMPLES = 256
/** current reference, current, bridge voltage, angle, velocity, winding NTC, loop period */
export const CAPTURE_FIELDS = 7
/** samples per read-out report: 8 x 28 bytes fits a Jacdac packet with the report's header */
export const CAPTURE_READ_SAMPLES = 8
/** a board-driven excitation runs without the host feeding the watchdog for at most this long */
export const CAPTURE_GENERATOR_MAX_US = 2_000_000

export interface CaptureRequest {
    waveform: ds.JointActuatorWaveform
    decimation: number
    samples: number
    preSamples: number
    offsetA: number
    amplitudeA: number
    frequencyHz: number
}

export class Capture {
    state = ds.JointActuatorCaptureState.Idle
    stored = 0
    private req: CaptureRequest
    private readonly buf = Buffer.alloc(CAPTURE_MAX_SAMPLES * CAPTURE_FIELDS * 4)
    private readonly sums: number[] = [0, 0, 0, 0, 0, 0, 0]
    private inWindow = 0
    private periods = 0
    private elapsedUs = 0

    /** false when refused: bad sizes, or an excitation longer than the generator may run */
    start(r: CaptureRequest, nominalPeriodUs: number): boolean {
        const generated = r.waveform !== ds.JointActuatorWaveform.None
        if (!(r.samples >= 1 && r.samples <= CAPTURE_MAX_SAMPLES && r.decimation >= 1)) return false
        if (!isFiniteNumber(r.offsetA) || !isFiniteNumber(r.amplitudeA) || !isFiniteNumber(r.frequencyHz)) return false
        if (generated && r.samples * r.decimation * nominalPeriodUs > CAPTURE_GENERATOR_MAX_US) return false
        this.req = r
        this.stored = 0
        this.inWindow = 0
        this.periods = 0
        this.elapsedUs = 0
        for (let k = 0; k < CAPTURE_FIELDS; k++) this.sums[k] = 0
        this.state = ds.JointActuatorCaptureState.Running
        return true
    }

    running(): boolean {
        return this.state === ds.JointActuatorCaptureState.Running
    }

    done(): boolean {
        return this.state === ds.JointActuatorCaptureState.Done
    }

    /** true while the board drives the current reference */
    generating(): boolean {
        return this.state === ds.JointActuatorCaptureState.Running && this.req.waveform !== ds.JointActuatorWaveform.None
    }

    /** the generator's current reference for the period about to run */
    referenceA(): number {
        const r = this.req
        if (r.waveform === ds.JointActuatorWaveform.Step)
            return this.stored < r.preSamples ? r.offsetA : r.offsetA + r.amplitudeA
        return r.offsetA + r.amplitudeA * sine((2 * Math.PI * r.frequencyHz * this.elapsedUs) / 1e6)
    }

    abort() {
        if (this.state === ds.JointActuatorCaptureState.Running) this.state = ds.JointActuatorCaptureState.Aborted
    }

    /** adds one control period's signals; `dtUs` is the period that just ended */
    record(dtUs: number, refA: number, currentA: number, voltageV: number, angleRad: number, velRadS: number, ntcC: number) {
        if (this.state !== ds.JointActuatorCaptureState.Running) return
        const s = this.sums
        s[0] += refA
        s[1] += currentA
        s[2] += voltageV
        s[3] += angleRad
        s[4] += velRadS
        s[5] += ntcC
        s[6] += dtUs
        if (this.periods > 0) this.elapsedUs += dtUs
        this.periods++
        if (++this.inWindow < this.req.decimation) return
        const at = this.stored * CAPTURE_FIELDS * 4
        for (let k = 0; k < CAPTURE_FIELDS; k++) {
            this.buf.setAt(at + 4 * k, "f32", s[k] / this.inWindow)
            s[k] = 0
        }
        this.inWindow = 0
        if (++this.stored >= this.req.samples) this.state = ds.JointActuatorCaptureState.Done
    }

    /** the current reference the joint holds once a generated capture is over */
    holdA(): number {
        return this.req.offsetA
    }

    /** mean loop period over the capture so far */
    periodMeanUs(): number {
        return this.periods > 1 ? this.elapsedUs / (this.periods - 1) : 0
    }

    /** samples first.. (at most CAPTURE_READ_SAMPLES) as bytes */
    chunk(first: number): Buffer {
        const from = Math.min(first, this.stored)
        const to = Math.min(from + CAPTURE_READ_SAMPLES, this.stored)
        return this.buf.slice(from * CAPTURE_FIELDS * 4, to * CAPTURE_FIELDS * 4)
    }
}
