import { describe, expect, test } from "@devicescript/test"
import {
    AS5047P,
    AS5047P_ANGLECOM,
    AS5047P_DIAAGC,
    AS5047P_DIAAGC_MAGL,
    AS5047P_ERRFL,
    AS5047P_SETTINGS1,
    AS5047P_SETTINGS1_DIR,
    AS5047P_ZPOSL,
    AS5047P_ZPOSM,
    countsToRad,
    startAS5047P,
    withParity,
} from "./as5047p"
import { modifyRegister } from "./registers"
import { FakeAS5047P } from "./fakes/as5047p-fake"

describe("AS5047P driver", () => {
    test("frames carry even parity in bit 15", () => {
        expect(withParity(0x4000 | AS5047P_ANGLECOM)).toBe(0xffff) // read ANGLECOM
        expect(withParity(0x4000)).toBe(0xc000) // read NOP
        expect(withParity(0x0019)).toBe(0x8019) // write command to SETTINGS2: three ones, parity set
        expect(withParity(0x0003)).toBe(0x0003) // two ones: parity bit clear
    })
    test("reads the datasheet's reset values", async () => {
        const enc = new AS5047P(new FakeAS5047P())
        expect(await enc.readRegister(AS5047P_SETTINGS1)).toBe(0x0001)
        expect(await enc.readRegister(AS5047P_ZPOSM)).toBe(0)
        expect(await enc.readRegister(AS5047P_ZPOSL)).toBe(0)
        expect(await enc.readRegister(AS5047P_ERRFL)).toBe(0)
    })
    test("a read-modify-write sets DIR and keeps the factory bit", async () => {
        const chip = new FakeAS5047P()
        const enc = new AS5047P(chip)
        expect(await modifyRegister(enc, AS5047P_SETTINGS1, 0, AS5047P_SETTINGS1_DIR)).toBe(0x0005)
        expect(chip.get(AS5047P_SETTINGS1)).toBe(0x0005)
        await modifyRegister(enc, AS5047P_SETTINGS1, AS5047P_SETTINGS1_DIR, 0)
        expect(chip.get(AS5047P_SETTINGS1)).toBe(0x0001)
    })
    test("converts 14-bit counts to radians: a quarter turn is 4096 counts", async () => {
        const chip = new FakeAS5047P()
        const enc = new AS5047P(chip)
        chip.set(AS5047P_ANGLECOM, 4096)
        expect(Math.abs((await enc.angleRad()) - Math.PI / 2) < 1e-9).toBe(true)
        chip.set(AS5047P_ANGLECOM, 16383)
        expect(Math.abs(countsToRad(16383) - (2 * Math.PI * 16383) / 16384) < 1e-9).toBe(true)
        expect((await enc.angleRad()) < 2 * Math.PI).toBe(true)
    })
    test("the error flag fails the read, names ERRFL and clears it", async () => {
        const chip = new FakeAS5047P()
        const enc = new AS5047P(chip)
        chip.injectParityError()
        let message = ""
        try {
            await enc.readRegister(AS5047P_ANGLECOM)
        } catch (e: any) {
            message = e.message
        }
        expect(message.indexOf("ERRFL 0x4") >= 0).toBe(true)
        expect(chip.get(AS5047P_ERRFL)).toBe(0)
        expect(await enc.readRegister(AS5047P_ANGLECOM)).toBe(0)
    })
    test("sets direction and zero position, read back; start refuses a weak magnet", async () => {
        const chip = new FakeAS5047P()
        await (await startAS5047P({ bus: chip })).setZeroAndDirection(0x1234, true)
        expect(chip.get(AS5047P_SETTINGS1)).toBe(0x0005)
        expect(chip.get(AS5047P_ZPOSM)).toBe(0x1234 >> 6)
        expect(chip.get(AS5047P_ZPOSL)).toBe(0x1234 & 0x3f)
        const weak = new FakeAS5047P()
        weak.set(AS5047P_DIAAGC, AS5047P_DIAAGC_MAGL | 0xff)
        let refused = false
        try {
            await startAS5047P({ bus: weak })
        } catch (e: any) {
            refused = e.message.indexOf("MAGL") >= 0
        }
        expect(refused).toBe(true)
    })
})
