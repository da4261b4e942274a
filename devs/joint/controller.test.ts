import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { firstInvalidSetting, toConfig } from "./config"
import { JointController, OFFSET_SAMPLES, type Sample } from "./controller"
import { JOINT_SETTINGS, defaultJointSettings } from "./settings-schema"

const PERIOD_US = 1000

// the VM stops a fiber that computes for long without yielding: yield every so many periods
const YIELD_EVERY = 50

async function calibrated(): Promise<{ ctl: JointController; sample: Sample }> {
    const ctl = new JointController(toConfig(defaultJointSettings("large")))
    const sample: Sample = { timestampUs: 0, currentA: 0.3, angleRad: 0, windingNtcC: 25, busV: 48 }
    await run(ctl, sample, OFFSET_SAMPLES)
    return { ctl, sample }
}

/** steps `periods` periods; the current sample wanders by an ADC step, as a live sensor's does */
async function run(ctl: JointController, sample: Sample, periods: number) {
    let out = ctl.step(sample)
    for (let i = 0; i < periods; i++) {
        sample.timestampUs += PERIOD_US
        if (sample.currentA === sample.currentA) sample.currentA += i % 2 ? 0.05 : -0.05
        out = ctl.step(sample)
        if (i % YIELD_EVERY === 0) await ds.sleep(1)
    }
    return out
}

describe("joint controller", () => {
    test("measures the current offset with the bridge off, then drives when armed", async () => {
        const { ctl, sample } = await calibrated()
        expect(Math.abs(ctl.offsetA - 0.3) < 0.03).toBe(true)
        expect(ctl.enable()).toBe(true)
        expect(ctl.current(10)).toBe(true)
        const out = await run(ctl, sample, 1)
        expect(out.bridgeOn).toBe(true)
        expect(out.voltageV > 0).toBe(true)
    })

    test("trips to safe state within two periods when the current sensor goes silent", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        ctl.current(5)
        await run(ctl, sample, 3)
        sample.currentA = NaN
        sample.timestampUs += PERIOD_US
        ctl.step(sample)
        sample.timestampUs += PERIOD_US
        const out = ctl.step(sample)
        expect(out.bridgeOn).toBe(false)
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.CurrentSensorSilent)
        expect(ctl.mode).toBe(ds.JointActuatorMode.Disabled)
    })

    test("goes to damping, then off, when commands stop", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        ctl.impedance(0.1, 0, 50, 1, 0)
        await run(ctl, sample, 101) // 100 ms watchdog
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.CommandWatchdog)
        expect(ctl.mode).toBe(ds.JointActuatorMode.Damping)
        const out = await run(ctl, sample, 500) // 500 ms of damping
        expect(ctl.mode).toBe(ds.JointActuatorMode.Disabled)
        expect(out.bridgeOn).toBe(false)
        // and never re-enables by itself, nor accepts setpoints while the fault is latched
        expect(ctl.impedance(0, 0, 50, 1, 0)).toBe(false)
        expect(ctl.enable()).toBe(false)
    })

    test("over-temperature trips and stays tripped until cleared when cool", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        ctl.current(1)
        sample.windingNtcC = 121
        await run(ctl, sample, 1)
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.OverTemperature)
        expect(ctl.clearFault()).toBe(false) // still hot
        sample.windingNtcC = 60
        await run(ctl, sample, 5)
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.OverTemperature)
        expect(ctl.clearFault()).toBe(true)
        expect(ctl.mode).toBe(ds.JointActuatorMode.Disabled)
    })

    test("refuses non-finite setpoints and clamps out-of-range ones", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        expect(ctl.impedance(NaN, 0, 10, 1, 0)).toBe(false)
        expect(ctl.current(1 / 0)).toBe(false)
        expect(ctl.current(1000)).toBe(true)
        await run(ctl, sample, 1)
        // clamped to the peak current, 70 A, and that to the output torque limit: 150 N·m / (Kt N eta)
        expect(Math.abs(ctl.currentRefA - 150 / (0.1 * 25 * 0.9)) < 1e-3).toBe(true)
    })
})

describe("joint settings", () => {
    test("the defaults are valid", () => {
        expect(firstInvalidSetting(defaultJointSettings("large"))).toBe(-1)
        expect(firstInvalidSetting(defaultJointSettings("small"))).toBe(-1)
    })
    test("names the first setting out of range, missing, or inconsistent", () => {
        const v = defaultJointSettings("large")
        v["rOhm"] = -1
        expect(JOINT_SETTINGS[firstInvalidSetting(v)].key).toBe("rOhm")
        const w = defaultJointSettings("large")
        w["loopHz"] = 300
        expect(JOINT_SETTINGS[firstInvalidSetting(w)].key).toBe("loopHz")
        const x = defaultJointSettings("large")
        x["posMinRad"] = 3
        x["posMaxRad"] = 2
        expect(JOINT_SETTINGS[firstInvalidSetting(x)].key).toBe("posMaxRad")
    })
})
