import { describe, expect, test } from "@devicescript/test"
import { AS5047P, AS5047P_ANGLECOM } from "../../drivers/as5047p"
import { FakeAS5047P } from "../../drivers/fakes/as5047p-fake"
import { FakeTMC4671 } from "../../drivers/fakes/tmc4671-fake"
import {
    TMC4671,
    TMC4671_PID_TORQUE_FLUX_ACTUAL,
    TMC4671_PWM_SV_CHOP,
    TMC4671_UQ_UD_EXT,
    TMC4671_PID_TORQUE_P_TORQUE_I,
    TMC4671_PID_TORQUE_FLUX_TARGET,
} from "../../drivers/tmc4671"
import { iqCounts } from "./chip-current-loop"
import type { Sample } from "./controller"
import { HardwarePowerStage } from "./hardware-power-stage"
import { jointAngleRad } from "./power-stage"
import { expectNear } from "../lib/expect-figures"

const AMPS_PER_COUNT = 0.01

function rig(chipLoop = false) {
    const foc = new FakeTMC4671()
    const enc = new FakeAS5047P()
    const stage = new HardwarePowerStage({
        chipLoop,
        foc: new TMC4671(foc),
        encoder: new AS5047P(enc),
        ampsPerCount: AMPS_PER_COUNT,
        encoderZeroRad: 0,
        encoderDir: 1,
        windingNtcC: () => 31.5,
        busV: () => 48,
    })
    const got: Sample[] = []
    stage.onSample(async s => {
        got.push({ timestampUs: s.timestampUs, currentA: s.currentA, angleRad: s.angleRad, windingNtcC: s.windingNtcC, busV: s.busV })
    })
    return { foc, enc, stage, got }
}

describe("hardware power stage", () => {
    test("a sample carries Iq in amperes through the scaling, the encoder angle, the NTC and the bus voltage", async () => {
        const { foc, enc, stage, got } = rig()
        foc.set(TMC4671_PID_TORQUE_FLUX_ACTUAL, (0xfc18 << 16) | 0x0123) // Iq -1000 counts
        enc.set(AS5047P_ANGLECOM, 4096) // a quarter turn
        await stage.requestSample()
        expect(got.length).toBe(1)
        expectNear(got[0].currentA, -10, 1e-9, "currentA")
        expectNear(got[0].angleRad, Math.PI / 2, 1e-9, "angleRad")
        expect(got[0].windingNtcC).toBe(31.5)
        expect(got[0].busV).toBe(48)
    })
    test("the joint angle is the encoder's from its zero, in the joint's direction, within ±π", async () => {
        const near = (a: number, b: number) => Math.abs(a - b) < 1e-9
        // zero at 1 rad: 1.5 rad on the encoder is +0.5 rad, 0.5 is -0.5; mirrored, the signs swap
        expect(near(jointAngleRad(1.5, 1, 1), 0.5)).toBe(true)
        expect(near(jointAngleRad(0.5, 1, 1), -0.5)).toBe(true)
        expect(near(jointAngleRad(1.5, 1, -1), -0.5)).toBe(true)
        // across the encoder's wrap: zero at 0, the encoder just below 2π is just below joint 0
        expect(near(jointAngleRad(2 * Math.PI - 0.1, 0, 1), -0.1)).toBe(true)
        expect(near(jointAngleRad(0.1, 6.2, 1), 0.1 + 2 * Math.PI - 6.2)).toBe(true)
        // through the stage: the fake encoder at 16000 counts (351.6°) with zero 0 is -8.4°
        const { enc, stage, got } = rig()
        enc.set(AS5047P_ANGLECOM, 16000)
        await stage.requestSample()
        expect(near(got[0].angleRad, ((16000 - 16384) * 2 * Math.PI) / 16384)).toBe(true)
    })
    test("an encoder read that fails gives a NaN angle (the controller's sensor check trips on it)", async () => {
        const { enc, stage, got } = rig()
        enc.injectParityError()
        await stage.requestSample()
        expect(isNaN(got[0].angleRad)).toBe(true)
    })
    test("drive writes the voltage over the bus voltage into UQ_EXT and turns the PWM on", async () => {
        const { foc, stage } = rig()
        await stage.requestSample() // bus 48 V
        await stage.drive({ bridgeOn: true, voltageV: 24, currentA: 0 })
        expect(foc.get(TMC4671_UQ_UD_EXT) >>> 16).toBe(16384) // half of full scale
        expect(foc.get(TMC4671_PWM_SV_CHOP) & 0xff).toBe(7)
    })
    test("drive clamps the voltage to 95 % of the bus", async () => {
        const { foc, stage } = rig()
        await stage.requestSample()
        await stage.drive({ bridgeOn: true, voltageV: 100, currentA: 0 })
        expect(foc.get(TMC4671_UQ_UD_EXT) >>> 16).toBe(Math.round(0.95 * 32767))
    })
    test("bridge off turns the PWM off and writes 0 V", async () => {
        const { foc, stage } = rig()
        await stage.requestSample()
        await stage.drive({ bridgeOn: true, voltageV: 12, currentA: 0 })
        await stage.drive({ bridgeOn: false, voltageV: 12, currentA: 0 })
        expect(foc.get(TMC4671_PWM_SV_CHOP) & 0xff).toBe(0)
        expect(foc.get(TMC4671_UQ_UD_EXT)).toBe(0)
    })
    test("with the chip's current loop, drive writes the current target in Iq counts, the PWM on; off writes 0", async () => {
        const { foc, stage } = rig(true)
        await stage.requestSample()
        await stage.configureChip({ p: 268, i: 4915, torqueLimitCounts: 22938, uqLimitCounts: 31130 })
        expect(foc.get(TMC4671_PID_TORQUE_P_TORQUE_I)).toBe(268 * 65536 + 4915)
        await stage.drive({ bridgeOn: true, voltageV: 0, currentA: -10 })
        expect(foc.get(TMC4671_PID_TORQUE_FLUX_TARGET) >>> 16).toBe(0x10000 - iqCounts(10))
        expect(foc.get(TMC4671_PWM_SV_CHOP) & 0xff).toBe(7)
        expect(foc.get(TMC4671_UQ_UD_EXT)).toBe(0) // voltage mode untouched
        await stage.drive({ bridgeOn: false, voltageV: 0, currentA: -10 })
        expect(foc.get(TMC4671_PID_TORQUE_FLUX_TARGET)).toBe(0)
        expect(foc.get(TMC4671_PWM_SV_CHOP) & 0xff).toBe(0)
    })
})
