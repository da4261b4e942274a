import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { CAPTURE_FIELDS, CAPTURE_MAX_SAMPLES, Capture } from "./capture"
import { sine } from "../lib/math"
import { expectNear } from "../lib/expect-figures"

const req = (waveform: ds.JointActuatorWaveform, samples: number, decimation: number) => ({
    waveform,
    samples,
    decimation,
    preSamples: 2,
    offsetA: 1,
    amplitudeA: 4,
    frequencyHz: 50,
})

describe("bench capture", () => {
    test("sine is accurate to 1e-6 over several turns", () => {
        const xs = [0, 0.5, 1.5707963, 3, -2, 7.5, -20.25, 100.1]
        const ref = [0, 0.4794255, 1, 0.14112, -0.9092974, 0.938, -0.9855251, -0.4177477]
        for (let i = 0; i < xs.length; i++) expectNear(sine(xs[i]), ref[i], 1e-6, `sine(${xs[i]})`)
    })

    test("refuses sizes outside the buffer and excitations over 2 s", () => {
        const c = new Capture()
        expect(c.start(req(ds.JointActuatorWaveform.None, 0, 1), 1000)).toBe(false)
        expect(c.start(req(ds.JointActuatorWaveform.None, CAPTURE_MAX_SAMPLES + 1, 1), 1000)).toBe(false)
        expect(c.start(req(ds.JointActuatorWaveform.Step, 256, 10), 1000)).toBe(false)
        expect(c.start(req(ds.JointActuatorWaveform.None, 256, 1000), 1000)).toBe(true)
    })

    test("step: offset for the pre-samples, then offset + amplitude; window means stored; done after N", () => {
        const c = new Capture()
        expect(c.start(req(ds.JointActuatorWaveform.Step, 4, 2), 1000)).toBe(true)
        const refs: number[] = []
        for (let k = 0; k < 8; k++) {
            const r = c.referenceA()
            refs.push(r)
            c.record(1000, r, k, 0, 0, 0, 25)
        }
        expect(refs.join(",")).toBe("1,1,1,1,5,5,5,5")
        expect(c.done()).toBe(true)
        expect(c.holdA()).toBe(1)
        const data = c.chunk(0)
        expect(data.length).toBe(4 * CAPTURE_FIELDS * 4)
        // the current field of sample 1 is the mean of periods 2 and 3
        expect(data.getAt(1 * CAPTURE_FIELDS * 4 + 4, "f32")).toBe(2.5)
        expect(data.getAt(6 * 4, "f32")).toBe(1000)
    })

    test("abort stops a running capture; a done one stays done", () => {
        const c = new Capture()
        c.start(req(ds.JointActuatorWaveform.Sine, 10, 1), 1000)
        expect(c.generating()).toBe(true)
        c.abort()
        expect(c.state).toBe(ds.JointActuatorCaptureState.Aborted)
        expect(c.generating()).toBe(false)
    })
})
