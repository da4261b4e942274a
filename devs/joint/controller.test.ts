import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { firstInvalidSetting, toConfig } from "./config"
import { JointController, SLOW_PERIOD_US, offsetSamples, type Sample } from "./controller"
import { CurrentLoop } from "./current-loop"
import { CURRENT_LOOP_CHIP, CURRENT_LOOP_FIRMWARE, JOINT_SETTINGS, defaultJointSettings } from "./settings-schema"
import { expectAbove, expectAtMost, expectBelow, expectNear } from "../lib/expect-figures"

const PERIOD_US = 1000
/** the firmware's own current loop at 1 kHz (a runtime with a 1 ms tick) */
const FIRMWARE_LOOP = toConfig({ ...defaultJointSettings("large"), currentLoop: CURRENT_LOOP_FIRMWARE, loopHz: 1000 })
/** the chip's current loop (the default), the impedance law at 1 kHz here */
const CHIP_LOOP = toConfig({ ...defaultJointSettings("large"), currentLoop: CURRENT_LOOP_CHIP, loopHz: 1000 })

// the VM stops a fiber that computes for long without yielding: yield every so many periods
const YIELD_EVERY = 50

/** a controller past its offset calibration (enable is refused before it) */
async function calibrated(cfg = FIRMWARE_LOOP, firstToken = 1, startUs = 0): Promise<{ ctl: JointController; sample: Sample }> {
    const ctl = new JointController(cfg, firstToken)
    const sample: Sample = { timestampUs: startUs, currentA: 0.3, angleRad: 0, windingNtcC: 25, busV: 48 }
    await run(ctl, sample, offsetSamples(cfg))
    return { ctl, sample }
}

/** steps `periods` periods; the current sample wanders by an ADC step, as a live sensor's does */
async function run(ctl: JointController, sample: Sample, periods: number) {
    let out = JointController.step(ctl, sample)
    for (let i = 0; i < periods; i++) {
        sample.timestampUs += PERIOD_US
        if (sample.currentA === sample.currentA) sample.currentA += i % 2 ? 0.05 : -0.05
        out = JointController.step(ctl, sample)
        if (i % YIELD_EVERY === 0) await ds.sleep(1)
    }
    return out
}

describe("joint controller", () => {
    test("measures the current offset with the bridge off, then drives when armed", async () => {
        const { ctl, sample } = await calibrated()
        expectNear(ctl.offsetA, 0.3, 0.03, "offsetA")
        expect(ctl.enable()).toBe(0)
        expect(JointController.current(ctl, ctl.token, 10)).toBe(0)
        const out = await run(ctl, sample, 1)
        expect(out.bridgeOn).toBe(true)
        expectAbove(out.voltageV, 0, "voltageV")
    })

    test("refines the offset with every sample until it is first enabled, then holds it", async () => {
        const { ctl, sample } = await calibrated()
        const n = offsetSamples(FIRMWARE_LOOP)
        // as many samples again, 0.1 A above the estimate: the mean of both runs
        const first = ctl.offsetA
        sample.currentA = first + 0.1
        for (let i = 0; i < n; i++) {
            sample.timestampUs += PERIOD_US
            JointController.step(ctl, sample)
            if (i % YIELD_EVERY === 0) await ds.sleep(1)
        }
        expectNear(ctl.offsetA, first + 0.05, 0.01, "offsetA")
        expect(ctl.enable()).toBe(0)
        const held = ctl.offsetA
        sample.currentA += 1
        await run(ctl, sample, 3)
        expect(ctl.offsetA).toBe(held)
        // nor after a disable: the bridge has driven since
        ctl.disable()
        await run(ctl, sample, 3)
        expect(ctl.offsetA).toBe(held)
    })

    test("the board's one controller: constructing another resets the state, and the older one is refused", async () => {
        const { ctl: older, sample } = await calibrated()
        expect(older.enable()).toBe(0)
        const { ctl: newer } = await calibrated(FIRMWARE_LOOP, 7)
        expect(() => JointController.step(older, sample)).toThrow()
        // the newer one starts from its own boot: its offset measured, its first session's token its own
        expect(newer.enable()).toBe(0)
        expect(newer.token).toBe(7)
    })

    test("refuses enable until it has measured its current offset", async () => {
        const ctl = new JointController(FIRMWARE_LOOP)
        const sample: Sample = { timestampUs: 0, currentA: 0.3, angleRad: 0, windingNtcC: 25, busV: 48 }
        await run(ctl, sample, offsetSamples(FIRMWARE_LOOP) - 2)
        expect(ctl.enable()).toBe(ds.JointActuatorRefusalReason.Calibrating)
        expect(ctl.token).toBe(0)
        expect(ctl.mode).toBe(ds.JointActuatorMode.Disabled)
        await run(ctl, sample, 1)
        expect(ctl.calibrated).toBe(true)
        expect(ctl.enable()).toBe(0)
    })

    test("trips to safe state within two periods when the current sensor goes silent", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        JointController.current(ctl, ctl.token, 5)
        await run(ctl, sample, 3)
        sample.currentA = NaN
        sample.timestampUs += PERIOD_US
        // the first miss holds the last command and asks for a fresh sample at once
        expect(JointController.step(ctl, sample).bridgeOn).toBe(true)
        expect(ctl.resampleNow).toBe(true)
        ctl.resampleNow = false
        const out = JointController.step(ctl, sample) // the fresh sample, in the same millisecond: still nothing
        expect(ctl.resampleNow).toBe(false)
        expect(out.bridgeOn).toBe(false)
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.CurrentSensorSilent)
        expect(ctl.mode).toBe(ds.JointActuatorMode.Disabled)
    })

    test("a sample older than the last one (a late answer, after the loop went on without it) moves no clock and integrates nothing", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        JointController.current(ctl, ctl.token, 5)
        await run(ctl, sample, 20)
        const integral = ctl.loop.pi.integral
        const voltageV = JointController.step(ctl, sample).voltageV // again, in the same microsecond
        sample.timestampUs -= PERIOD_US / 2
        sample.currentA = 0 // 5 A below the reference
        const out = JointController.step(ctl, sample)
        expect(ctl.loop.pi.integral).toBe(integral)
        expect(out.bridgeOn).toBe(true)
        expect(out.voltageV).toBe(voltageV)
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.None) // (read as a wrap, 71 minutes: the watchdog's too)
        // the next sample in time integrates one period's error, as any
        sample.timestampUs += PERIOD_US
        JointController.step(ctl, sample)
        expectAbove(ctl.loop.pi.integral, integral, "integral")
        expectBelow(ctl.loop.pi.integral - integral, 0.5, "one period's integral")
    })

    test("goes to damping, then off, when commands stop", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        JointController.impedance(ctl, ctl.token, 0.1, 0, 50, 1, 0, sample.timestampUs)
        // the command is dated by the sample before it: the first sample 100 ms after that one trips
        await run(ctl, sample, 99) // 100 ms watchdog
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.None)
        await run(ctl, sample, 1)
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.CommandWatchdog)
        expect(ctl.mode).toBe(ds.JointActuatorMode.Damping)
        const out = await run(ctl, sample, 500) // 500 ms of damping
        expect(ctl.mode).toBe(ds.JointActuatorMode.Disabled)
        expect(out.bridgeOn).toBe(false)
        // and never re-enables by itself, nor accepts setpoints while the fault is latched
        expect(JointController.impedance(ctl, ctl.token, 0, 0, 50, 1, 0, sample.timestampUs)).toBe(ds.JointActuatorRefusalReason.NotArmed)
        expect(ctl.enable()).toBe(ds.JointActuatorRefusalReason.FaultLatched)
    })

    test("over-temperature trips and stays tripped until cleared when cool", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        JointController.current(ctl, ctl.token, 1)
        sample.windingNtcC = 121
        await run(ctl, sample, 1) // the NTC's reading is checked every step
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.OverTemperature)
        expect(ctl.clearFault()).toBe(false) // still hot
        sample.windingNtcC = 60
        await run(ctl, sample, SLOW_PERIOD_US / PERIOD_US)
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.OverTemperature)
        expect(ctl.clearFault()).toBe(true)
        expect(ctl.mode).toBe(ds.JointActuatorMode.Disabled)
    })

    test("refuses non-finite setpoints and clamps out-of-range ones", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        expect(JointController.impedance(ctl, ctl.token, NaN, 0, 10, 1, 0, sample.timestampUs)).toBe(ds.JointActuatorRefusalReason.NotFinite)
        expect(JointController.current(ctl, ctl.token, 1 / 0)).toBe(ds.JointActuatorRefusalReason.NotFinite)
        expect(JointController.current(ctl, ctl.token, 1000)).toBe(0)
        await run(ctl, sample, 1)
        // clamped to the peak current, 70 A, and that to the output torque limit: 150 N·m / (Kt N eta)
        expectNear(ctl.currentRefA, 150 / (0.1 * 25 * 0.9), 1e-3, "currentRefA")
    })

    test("the current reference moves by at most the peak current per step, and is ramped in over four steps when the bridge comes on with the joint turning", async () => {
        const { ctl, sample } = await calibrated()
        const refs: number[] = []
        // the joint turning at `velRadS` (the large actuator: ramped in above 0.84 rad/s)
        const stepRefs = (n: number, velRadS: number) => {
            for (let i = 0; i < n; i++) {
                sample.timestampUs += PERIOD_US
                sample.angleRad += velRadS * (PERIOD_US / 1e6)
                JointController.step(ctl, sample)
                refs.push(ctl.currentRefA)
            }
        }
        ctl.enable()
        JointController.current(ctl, ctl.token, 60)
        stepRefs(1, 0)
        expect(refs[0]).toBe(60) // at rest: at once
        JointController.current(ctl, ctl.token, -60)
        stepRefs(2, 0)
        expect(refs.slice(1).join(",")).toBe([-10, -60].join(","))
        // off, the joint turning at 3 rad/s, on again: ramped in
        ctl.disable()
        stepRefs(20, 3)
        ctl.enable()
        JointController.current(ctl, ctl.token, 60)
        stepRefs(5, 3)
        expect(refs.slice(-5).join(",")).toBe([17.5, 35, 52.5, 60, 60].join(","))
    })

    test("beyond the speed limit, torque that would speed the joint up further is cut; torque that slows it is not", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        JointController.current(ctl, ctl.token, 10)
        await run(ctl, sample, 2)
        expect(ctl.currentRefA).toBe(10)
        // the joint turning at 25 rad/s (its limit: 20): one period's angle step
        const stepRad = 25 * (PERIOD_US / 1e6)
        for (let i = 0; i < 20; i++) {
            sample.timestampUs += PERIOD_US
            sample.angleRad += stepRad
            JointController.step(ctl, sample)
        }
        expectAbove(ctl.velocityRadS, 20, "velocityRadS")
        expect(ctl.currentRefA).toBe(0)
        JointController.current(ctl, ctl.token, -10)
        sample.timestampUs += PERIOD_US
        sample.angleRad += stepRad
        JointController.step(ctl, sample)
        expect(ctl.currentRefA).toBe(-10)
    })
})

describe("the firmware's current loop", () => {
    test("with its current reading stuck at zero, drives no more than the peak current's voltage beyond the back-EMF", async () => {
        const cfg = FIRMWARE_LOOP
        const loop = new CurrentLoop(cfg)
        const windowV = cfg.rOhm * cfg.peakA
        const keVsPerRad = cfg.ktNmPerA * cfg.gearRatio
        for (const velocityRadS of [0, 3, -3]) {
            loop.reset()
            let v = 0
            for (let i = 0; i < 200; i++) v = loop.update(cfg.peakA, 0, velocityRadS, 48, 1 / cfg.loopHz)
            // settled at the window's edge: (v - back-EMF) / R is the peak current, not the bus's
            expectNear(v - keVsPerRad * velocityRadS, windowV, 1e-6, `voltage beyond the back-EMF at ${velocityRadS} rad/s`)
        }
        // and within the bus's duty limit when the back-EMF is near it
        loop.reset()
        expectAtMost(loop.update(cfg.peakA, 0, 40 / keVsPerRad, 48, 1 / cfg.loopHz), 0.95 * 48 + 1e-9, "voltage near the bus")
    })

    test("a step to the peak current at 1 kHz settles without reaching the window", async () => {
        const cfg = FIRMWARE_LOOP
        const loop = new CurrentLoop(cfg)
        // the winding, exactly discretised over a period (the plant's electrical equation, at rest)
        const a = Math.exp(-cfg.rOhm / cfg.lH / cfg.loopHz)
        let currentA = 0
        let largestV = 0
        for (let i = 0; i < 20; i++) {
            const v = loop.update(cfg.peakA, currentA, 0, 48, 1 / cfg.loopHz)
            largestV = Math.max(largestV, v)
            currentA = v / cfg.rOhm + (currentA - v / cfg.rOhm) * a
        }
        expectBelow(largestV, cfg.rOhm * cfg.peakA, "largest voltage")
        expectNear(currentA, cfg.peakA, 0.01 * cfg.peakA, "currentA")
    })
})

describe("joint controller with the chip's current loop", () => {
    test("designs the chip's loop once the offset is known, then gives it the offset-compensated current target", async () => {
        const { ctl, sample } = await calibrated(CHIP_LOOP)
        const loop = ctl.chipLoop
        expect(loop !== undefined).toBe(true)
        // R 0.12 ohm, L 80 uH, 1 kHz, 48 V, 100 A per 32768 counts, 20 kHz PWM (chip-current-loop.ts)
        expect(loop.p).toBe(268)
        expect(loop.i).toBe(4915)
        expect(loop.torqueLimitCounts).toBe(22938) // 70 A
        expect(loop.uqLimitCounts).toBe(31130) // 95 % of the supply
        ctl.enable()
        JointController.current(ctl, ctl.token, 10)
        const out = await run(ctl, sample, 1)
        expect(out.bridgeOn).toBe(true)
        expectNear(out.currentA, 10 + ctl.offsetA, 1e-9, "chip current target")
    })

    test("a sample in the same millisecond as the last (a command's wake) still acts on the newest setpoint", async () => {
        const { ctl, sample } = await calibrated(CHIP_LOOP)
        ctl.enable()
        JointController.current(ctl, ctl.token, 5)
        await run(ctl, sample, 3)
        JointController.current(ctl, ctl.token, -8)
        const out = JointController.step(ctl, sample) // the same timestamp: a measured period of 0
        expectNear(out.currentA, -8 + ctl.offsetA, 1e-9, "chip current target")
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.None)
    })

    test("an impedance setpoint is carried on with its velocity from when it arrived, not from the sample before it", async () => {
        // kp 100 Nm/rad, 1 rad/s, the joint at 0: the step's torque is kp times how far the setpoint has
        // moved by the middle of the period the torque is held for (half a period after the step)
        const torqueAfter = async (arrivedUs: number) => {
            const { ctl, sample } = await calibrated(CHIP_LOOP)
            ctl.enable()
            expect(JointController.impedance(ctl, ctl.token, 0, 1, 100, 0, 0, sample.timestampUs + arrivedUs)).toBe(0)
            await run(ctl, sample, 1)
            return ctl.torqueRefNm
        }
        // arrived with the sample: carried 1 period + half a period; 900 us later: 0.1 + 0.5 periods
        expectNear(await torqueAfter(0), 100 * 1 * 1.5e-3, 1e-6, "torque, setpoint with the sample")
        expectNear(await torqueAfter(900), 100 * 1 * 0.6e-3, 1e-6, "torque, setpoint 900 us later")
        // the board's clock wraps at 2^32 us like the samples' stamps: a setpoint just after the wrap
        // (its stamp small, the sample's near 2^32) is the same 900 us later
        const periods = offsetSamples(CHIP_LOOP)
        const { ctl, sample } = await calibrated(CHIP_LOOP, 1, 4294967296 - 400 - periods * PERIOD_US)
        expect(sample.timestampUs).toBe(4294967296 - 400)
        ctl.enable()
        JointController.impedance(ctl, ctl.token, 0, 1, 100, 0, 0, 500)
        sample.timestampUs = 600 // the next sample, after the wrap
        JointController.step(ctl, sample)
        expectNear(ctl.torqueRefNm, 100 * 1 * 0.6e-3, 1e-6, "torque, setpoint after the wrap")
    })
})

describe("joint controller: one command source (the session token)", () => {
    const R = ds.JointActuatorRefusalReason

    test("enable opens a session with the first token; a drive command with no token or another is refused and changes nothing", async () => {
        // (the board's one controller at a time: another board's, with its own first token, before)
        const ctl2 = (await calibrated(FIRMWARE_LOOP, 40000)).ctl
        expect(ctl2.enable()).toBe(0)
        expect(ctl2.token).toBe(40000)
        const { ctl, sample } = await calibrated()
        expect(ctl.enable()).toBe(0)
        const token = ctl.token
        expect(token).toBe(1)
        expect(JointController.impedance(ctl, token, 0.2, 0, 50, 1, 0, sample.timestampUs)).toBe(0)
        expect(JointController.current(ctl, 0, 30)).toBe(R.NoToken)
        expect(JointController.current(ctl, token + 1, 30)).toBe(R.WrongToken)
        expect(JointController.impedance(ctl, token + 1, -0.2, 0, 500, 1, 0, sample.timestampUs)).toBe(R.WrongToken)
        expect(ctl.mode).toBe(ds.JointActuatorMode.Impedance)
        // the watchdog is fed only by the session's commands: 100 ms on, it trips
        await run(ctl, sample, 99)
        expect(JointController.impedance(ctl, token + 1, 0.2, 0, 50, 1, 0, sample.timestampUs)).toBe(R.WrongToken)
        await run(ctl, sample, 1)
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.CommandWatchdog)
    })

    test("a second enable is refused while the session is open; disable from anyone ends it, and the next session has the next token", async () => {
        const { ctl } = await calibrated()
        expect(ctl.enable()).toBe(0)
        const first = ctl.token
        expect(ctl.enable()).toBe(R.SessionOpen)
        expect(ctl.token).toBe(first)
        ctl.disable()
        expect(ctl.token).toBe(0)
        expect(JointController.current(ctl, first, 5)).toBe(R.NotArmed)
        expect(ctl.enable()).toBe(0)
        expect(ctl.token).toBe(first + 1)
        expect(JointController.current(ctl, first, 5)).toBe(R.WrongToken)
        expect(JointController.current(ctl, first + 1, 5)).toBe(0)
    })

    test("a fault ends the session: after clear and enable the old token is refused", async () => {
        const { ctl, sample } = await calibrated()
        ctl.enable()
        const old = ctl.token
        JointController.current(ctl, old, 5)
        await run(ctl, sample, 100) // the watchdog: no command for 100 ms
        expect(ctl.fault.code).toBe(ds.BoardFaultCode.CommandWatchdog)
        expect(ctl.token).toBe(0)
        expect(ctl.clearFault()).toBe(true)
        expect(ctl.enable()).toBe(0)
        expect(ctl.token === old).toBe(false)
        expect(JointController.current(ctl, old, 5)).toBe(R.WrongToken)
    })

    test("tokens count from the first up to 65535, then from 1: never 0", async () => {
        const { ctl } = await calibrated(FIRMWARE_LOOP, 65535)
        ctl.enable()
        expect(ctl.token).toBe(65535)
        ctl.disable()
        ctl.enable()
        expect(ctl.token).toBe(1)
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
