import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import {
    ADS131M04,
    ADS131M04_CFG,
    ADS131M04_CLOCK,
    ADS131M04_CLOCK_OSR_MASK,
    ADS131M04_CLOCK_OSR_SHIFT,
    type ADS131M04Gain,
    type ADS131M04RateHz,
    ADS131M04_GAIN1,
    ADS131M04_ID,
    ADS131M04_MODE,
    ADS131M04_MODE_RESET,
    ADS131M04_STATUS,
    ADS131M04_STATUS_REG_MAP,
    codeToVolts,
    statusProblem,
    rregCommand,
    signExtend24,
    startADS131M04,
    voltsToNewtons,
    wregCommand,
} from "./ads131m04"
import { modifyRegister } from "./registers"
import { FakeADS131M04 } from "./fakes/ads131m04-fake"

function near(a: number, b: number, tol: number): boolean {
    return Math.abs(a - b) <= tol
}

describe("ADS131M04 driver", () => {
    test("RREG and WREG commands carry the address in bits 12:7", () => {
        expect(rregCommand(ADS131M04_CLOCK)).toBe(0xa180)
        expect(wregCommand(ADS131M04_GAIN1)).toBe(0x6200)
    })
    test("reads the datasheet's reset values", async () => {
        const adc = new ADS131M04(new FakeADS131M04())
        expect((await adc.readRegister(ADS131M04_ID)) & 0xff00).toBe(0x2400)
        expect(await adc.readRegister(ADS131M04_STATUS)).toBe(0x0500)
        expect(await adc.readRegister(ADS131M04_MODE)).toBe(0x0510)
        expect(await adc.readRegister(ADS131M04_CLOCK)).toBe(0x0f0e)
        expect(await adc.readRegister(ADS131M04_GAIN1)).toBe(0x0000)
        expect(await adc.readRegister(ADS131M04_CFG)).toBe(0x0600)
    })
    test("a read-modify-write clears MODE.RESET and keeps WLENGTH and TIMEOUT", async () => {
        const chip = new FakeADS131M04()
        const adc = new ADS131M04(chip)
        expect(await modifyRegister(adc, ADS131M04_MODE, ADS131M04_MODE_RESET, 0)).toBe(0x0110)
        expect(chip.get(ADS131M04_MODE)).toBe(0x0110)
        expect(await adc.readRegister(ADS131M04_STATUS)).toBe(0x0100)
    })
    test("start resets the chip, clears the reset flag, sets OSR for 1 kHz and gain 32", async () => {
        const chip = new FakeADS131M04()
        chip.set(ADS131M04_GAIN1, 0x1111) // left from before: the reset must clear it
        await startADS131M04({ bus: chip, dataRateHz: 1000, gain: 32 })
        expect(chip.resets).toBe(1)
        expect(chip.get(ADS131M04_MODE) & ADS131M04_MODE_RESET).toBe(0)
        expect(chip.get(ADS131M04_CLOCK)).toBe(0x0f16) // channels on, OSR 4096 (code 5), high resolution
        expect(chip.get(ADS131M04_GAIN1)).toBe(0x5555)
    })
    test("start refuses a chip whose ID is not the 4-channel part", async () => {
        const chip = new FakeADS131M04()
        chip.id = 0x2200 // an ADS131M02
        let message = ""
        try {
            await startADS131M04({ bus: chip })
        } catch (e: any) {
            message = e.message
        }
        expect(message.indexOf("ID reads 0x2200") >= 0).toBe(true)
        await ds.sleep(1)
        let silent = ""
        try {
            await startADS131M04({ bus: { transfer: async () => Buffer.alloc(18) } })
        } catch (e: any) {
            silent = e.message
        }
        expect(silent).toBe("ADS131M04: ID reads 0x0, expected 0x24xx")
    })
    test("each data rate and gain sets its OSR and PGAGAIN codes: 32000 Hz / 2^n, gain 2^n", async () => {
        const rates: ADS131M04RateHz[] = [32000, 16000, 8000, 4000, 2000, 1000, 500, 250]
        const gains: ADS131M04Gain[] = [1, 2, 4, 8, 16, 32, 64, 128]
        for (let n = 0; n < 8; n++) {
            const chip = new FakeADS131M04()
            await startADS131M04({ bus: chip, dataRateHz: rates[n], gain: gains[n] })
            expect((chip.get(ADS131M04_CLOCK) & ADS131M04_CLOCK_OSR_MASK) >> ADS131M04_CLOCK_OSR_SHIFT).toBe(n)
            expect(chip.get(ADS131M04_GAIN1)).toBe(n * 0x1111)
            await ds.sleep(1) // several start-ups in one test: let the VM see the fiber yield
        }
    })
    test("samples are four signed 24-bit codes with the DRDY bits, cleared once read", async () => {
        const chip = new FakeADS131M04()
        const adc = await startADS131M04({ bus: chip })
        chip.convert([8388607, -8388608, -1, 12345])
        const s = await adc.readSamples()
        expect(s.codes[0]).toBe(8388607)
        expect(s.codes[1]).toBe(-8388608)
        expect(s.codes[2]).toBe(-1)
        expect(s.codes[3]).toBe(12345)
        expect(s.drdy).toBe(0xf)
        expect(statusProblem(s.status)).toBe(null)
        expect((await adc.readSamples()).drdy).toBe(0)
        expect(signExtend24(0x800000)).toBe(-8388608)
    })
    test("a channel that stops converting never sets its DRDY bit", async () => {
        const chip = new FakeADS131M04()
        const adc = await startADS131M04({ bus: chip })
        chip.stickChannel(2)
        for (let i = 0; i < 20; i++) {
            chip.convert([i, i, i, i])
            expect((await adc.readSamples()).drdy).toBe(0xb)
            if (i % 5 === 4) await ds.sleep(1)
        }
    })
    test("STATUS faults are named: register map CRC and a reset since start-up", async () => {
        const chip = new FakeADS131M04()
        const adc = await startADS131M04({ bus: chip })
        chip.injectStatusFlags(ADS131M04_STATUS_REG_MAP)
        expect(statusProblem((await adc.readSamples()).status).indexOf("REG_MAP") >= 0).toBe(true)
        chip.brownOut()
        const problem = statusProblem((await adc.readSamples()).status)
        expect(problem.indexOf("STATUS.RESET") >= 0).toBe(true)
    })
    test("codes to volts: 1 LSB is 1.2 V / gain / 2^23; full scale is ±1.2 V / gain", async () => {
        expect(near(codeToVolts(8388608, 1), 1.2, 1e-12)).toBe(true)
        expect(near(codeToVolts(1, 1), 1.2 / 8388608, 1e-15)).toBe(true)
        expect(near(codeToVolts(-8388608, 128), -1.2 / 128, 1e-12)).toBe(true)
        const chip = new FakeADS131M04()
        const adc = await startADS131M04({ bus: chip, gain: 128 })
        chip.convert([4194304, -4194304, 0, 1])
        const codes = (await adc.readSamples()).codes
        expect(near(codeToVolts(codes[0], 128), 0.6 / 128, 1e-12)).toBe(true)
        expect(near(codeToVolts(codes[1], 128), -0.6 / 128, 1e-12)).toBe(true)
        expect(codeToVolts(codes[2], 128)).toBe(0)
    })
    test("volts to newtons: rated output (2 mV/V at 3.3 V) is the rated capacity", () => {
        const cell = { sensitivityMvV: 2, capacityN: 500 }
        expect(near(voltsToNewtons(0.0066, cell, 3.3), 500, 1e-9)).toBe(true)
        expect(near(voltsToNewtons(-0.0033, cell, 3.3), -250, 1e-9)).toBe(true)
        // a code through the whole chain: gain 128, half the rated output
        const volts = codeToVolts(Math.round((0.0033 * 128 * 8388608) / 1.2), 128)
        expect(near(voltsToNewtons(volts, cell, 3.3), 250, 0.01)).toBe(true)
    })
})
