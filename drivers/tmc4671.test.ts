import { describe, expect, test } from "@devicescript/test"
import {
    TMC4671,
    TMC4671_INPUTS_RAW,
    TMC4671_MODE_RAMP_MODE_MOTION,
    TMC4671_MOTION_UQ_UD_EXT,
    TMC4671_MOTOR_TYPE_N_POLE_PAIRS,
    TMC4671_PID_TORQUE_FLUX_ACTUAL,
    TMC4671_PWM_MAXCNT,
    TMC4671_PWM_SV_CHOP,
    TMC4671_UQ_UD_EXT,
    TMC4671_CONFIG_ADDR,
    TMC4671_CONFIG_DATA,
    TMC4671_PID_TORQUE_P_TORQUE_I,
    TMC4671_PID_FLUX_P_FLUX_I,
    TMC4671_PID_TORQUE_FLUX_LIMITS,
    TMC4671_PIDOUT_UQ_UD_LIMITS,
    TMC4671_PID_TORQUE_FLUX_TARGET,
    startTMC4671,
} from "./tmc4671"
import { modifyRegister } from "./registers"
import { FakeTMC4671 } from "./fakes/tmc4671-fake"

describe("TMC4671 driver", () => {
    test("reads the datasheet's reset value of PWM_MAXCNT (25 kHz)", async () => {
        const foc = new TMC4671(new FakeTMC4671())
        expect(await foc.readRegister(TMC4671_PWM_MAXCNT)).toBe(0x0f9f)
    })
    test("start checks the chip type and sets up a BLDC motor, 20 kHz centred PWM and voltage mode", async () => {
        const chip = new FakeTMC4671()
        await startTMC4671({ bus: chip, polePairs: 14, pwmHz: 20000 })
        expect(chip.get(TMC4671_MOTOR_TYPE_N_POLE_PAIRS)).toBe(0x0003000e)
        expect(chip.get(TMC4671_PWM_MAXCNT)).toBe(4999)
        expect(chip.get(TMC4671_MODE_RAMP_MODE_MOTION) & 0xff).toBe(TMC4671_MOTION_UQ_UD_EXT)
        expect(chip.get(TMC4671_PWM_SV_CHOP) & 0xff).toBe(7)
        expect(chip.get(TMC4671_UQ_UD_EXT)).toBe(0)
    })
    test("a read-modify-write keeps the other fields of the register", async () => {
        const chip = new FakeTMC4671()
        const foc = new TMC4671(chip)
        chip.set(TMC4671_MODE_RAMP_MODE_MOTION, 0x00010200) // ramp and mode fields above the motion mode
        await modifyRegister(foc, TMC4671_MODE_RAMP_MODE_MOTION, 0xff, TMC4671_MOTION_UQ_UD_EXT)
        expect(chip.get(TMC4671_MODE_RAMP_MODE_MOTION)).toBe(0x00010208)
    })
    test("the torque-axis voltage goes into UQ_EXT, clamped to full scale, UD_EXT 0", async () => {
        const chip = new FakeTMC4671()
        const foc = new TMC4671(chip)
        await foc.driveUq(0.5)
        expect(chip.get(TMC4671_UQ_UD_EXT)).toBe(16384 * 65536)
        await foc.driveUq(-2)
        expect(chip.get(TMC4671_UQ_UD_EXT) >>> 16).toBe(0x8001) // -32767
        expect(chip.get(TMC4671_UQ_UD_EXT) & 0xffff).toBe(0)
    })
    test("the torque-axis current is the signed upper half of PID_TORQUE_FLUX_ACTUAL", async () => {
        const chip = new FakeTMC4671()
        const foc = new TMC4671(chip)
        chip.set(TMC4671_PID_TORQUE_FLUX_ACTUAL, (0xfc18 << 16) | 0x0123) // Iq -1000, Id 291
        expect(await foc.torqueCurrentCounts()).toBe(-1000)
    })
    test("torque mode: the advanced PI in Q8.8, its gains on both axes, its limits, target 0, motion mode 1", async () => {
        const chip = new FakeTMC4671()
        const foc = new TMC4671(chip)
        chip.set(TMC4671_PID_TORQUE_FLUX_TARGET, 0x12345678)
        await foc.setupTorqueLoop(268, 4915, 22938, 31130)
        expect(chip.get(TMC4671_CONFIG_ADDR)).toBe(62) // ADVANCED_PI_REPRESENT
        expect(chip.get(TMC4671_CONFIG_DATA)).toBe(0) // P and I in Q8.8
        expect(chip.get(TMC4671_PID_TORQUE_P_TORQUE_I)).toBe(268 * 65536 + 4915)
        expect(chip.get(TMC4671_PID_FLUX_P_FLUX_I)).toBe(268 * 65536 + 4915)
        expect(chip.get(TMC4671_PID_TORQUE_FLUX_LIMITS)).toBe(22938)
        expect(chip.get(TMC4671_PIDOUT_UQ_UD_LIMITS)).toBe(31130)
        expect(chip.get(TMC4671_PID_TORQUE_FLUX_TARGET)).toBe(0)
        expect(chip.get(TMC4671_MODE_RAMP_MODE_MOTION) >>> 0).toBe(0x80000001)
    })
    test("the torque target goes into the upper half of PID_TORQUE_FLUX_TARGET, signed, flux target 0", async () => {
        const chip = new FakeTMC4671()
        const foc = new TMC4671(chip)
        await foc.setTorqueTarget(-1000)
        expect(chip.get(TMC4671_PID_TORQUE_FLUX_TARGET) >>> 16).toBe(0xfc18)
        expect(chip.get(TMC4671_PID_TORQUE_FLUX_TARGET) & 0xffff).toBe(0)
        await foc.setTorqueTarget(3277)
        expect(chip.get(TMC4671_PID_TORQUE_FLUX_TARGET) >>> 16).toBe(3277)
    })
    test("the enable input bit tells a disabled power stage", async () => {
        const chip = new FakeTMC4671()
        const foc = new TMC4671(chip)
        expect(await foc.powerStageEnabled()).toBe(true)
        chip.set(TMC4671_INPUTS_RAW, 0)
        expect(await foc.powerStageEnabled()).toBe(false)
    })
    test("start refuses a chip that is not a TMC4671", async () => {
        let message = ""
        try {
            await startTMC4671({ bus: { transfer: async () => Buffer.alloc(5) }, polePairs: 14, pwmHz: 20000 })
        } catch (e: any) {
            message = e.message
        }
        expect(message).toBe('TMC4671: CHIPINFO SI_TYPE reads 0x0, expected 0x34363731 ("4671")')
    })
})
