import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { ADS131M04_CLOCK, ADS131M04_GAIN1 } from "../../drivers/ads131m04"
import { FakeADS131M04 } from "../../drivers/fakes/ads131m04-fake"
import { readCounts, startLoadCellAdc } from "./load-cell-adc"
import { expectAtMost } from "../lib/expect-figures"

describe("foot load-cell ADC", () => {
    test("start sets 2 kHz (OSR 2048) and PGA gain 128 on all four channels", async () => {
        const chip = new FakeADS131M04()
        await startLoadCellAdc(chip)
        expect(chip.get(ADS131M04_CLOCK)).toBe(0x0f12) // channels on, OSR code 4, high resolution
        expect(chip.get(ADS131M04_GAIN1)).toBe(0x7777)
    })
    test("a conversion comes out as the four signed counts with a ready bit per fresh channel", async () => {
        const chip = new FakeADS131M04()
        const adc = await startLoadCellAdc(chip)
        const counts = [0, 0, 0, 0]
        chip.convert([1000, -2000, 8388607, -8388608])
        expect(await readCounts(adc, counts)).toBe(0xf)
        expect(counts[0]).toBe(1000)
        expect(counts[1]).toBe(-2000)
        expect(counts[2]).toBe(8388607)
        expect(counts[3]).toBe(-8388608)
        // read again before the next conversion: nothing fresh
        expect(await readCounts(adc, counts)).toBe(0)
        chip.stickChannel(1)
        chip.convert([1, 2, 3, 4])
        expect(await readCounts(adc, counts)).toBe(0xd)
    })
    test("converting on its own clock at 2 kHz, a read every 10 ms finds the newest conversion and the 19 before it lost", async () => {
        const chip = new FakeADS131M04()
        const adc = await startLoadCellAdc(chip)
        chip.convertContinuously(ms => [ms, -ms, 2 * ms, 7])
        const counts = [0, 0, 0, 0]
        await ds.sleep(10)
        const firstMs = ds.millis()
        expect(await readCounts(adc, counts)).toBe(0xf)
        // the newest conversion is at most half a millisecond old
        expectAtMost(firstMs - counts[0], 0.5, "firstMs - counts[0]")
        expect(counts[3]).toBe(7)
        // read again at once: nothing new
        if (ds.millis() === firstMs) expect(await readCounts(adc, counts)).toBe(0)
        const lostBefore = chip.lostConversions
        await ds.sleep(10)
        expect(await readCounts(adc, counts)).toBe(0xf)
        expect(chip.lostConversions - lostBefore).toBe(19)
    })
    test("a failed SPI exchange is no conversion (0) and leaves the counts as they were", async () => {
        const chip = new FakeADS131M04()
        const adc = await startLoadCellAdc(chip)
        const counts = [5, 6, 7, 8]
        chip.transfer = async () => {
            throw new Error("SPI timeout")
        }
        expect(await readCounts(adc, counts)).toBe(0)
        expect(counts[0] + counts[1] + counts[2] + counts[3]).toBe(26)
    })
    test("a chip that reset since start-up (gain back to 1) reads as no conversion", async () => {
        const chip = new FakeADS131M04()
        const adc = await startLoadCellAdc(chip)
        const counts = [0, 0, 0, 0]
        chip.convert([100, 100, 100, 100])
        expect(await readCounts(adc, counts)).toBe(0xf)
        chip.brownOut()
        expect(chip.get(ADS131M04_GAIN1)).toBe(0)
        for (let i = 0; i < 3; i++) {
            chip.convert([1, 1, 1, 1])
            expect(await readCounts(adc, counts)).toBe(0)
        }
        expect(counts[0]).toBe(100)
    })
    test("start refuses a chip that is not a 4-channel ADS131M04", async () => {
        const chip = new FakeADS131M04()
        chip.id = 0x2200
        let message = ""
        try {
            await startLoadCellAdc(chip)
        } catch (e: any) {
            message = e.message
        }
        expect(message).toBe("ADS131M04: ID reads 0x2200, expected 0x24xx")
        await ds.sleep(1)
    })
})
