// Driver for the ams AS5047P 14-bit on-axis magnetic rotary encoder (the joint's output angle), over
// SPI mode 1, 16-bit frames. Register names, addresses, bits and reset values are those of the
// datasheet: ams AS5047P, "High Resolution Rotary Position Sensor", sections
// "SPI Interface" (command, read and write frames), "Volatile Register Table" and "Non-Volatile
// Register Table".
//
// The control loop calls the driver directly once per period (`angleRad`): a DeviceScript program
// may send only about 50 Jacdac packets a second, so a 1 kHz measurement does not go through a
// Jacdac server. The bus is injected: on the board it is the SPI peripheral, in tests a fake of the
// chip's register map.

import { hex, modifyRegister, type SpiBus } from "./registers"

// Volatile registers
export const AS5047P_NOP = 0x0000
/** error register, cleared by reading: FRERR bit 0, INVCOMM bit 1, PARERR bit 2 */
export const AS5047P_ERRFL = 0x0001
export const AS5047P_PROG = 0x0003
/** AGC 7:0, LF bit 8, COF bit 9, MAGH bit 10, MAGL bit 11 */
export const AS5047P_DIAAGC = 0x3ffc
export const AS5047P_MAG = 0x3ffd
export const AS5047P_ANGLEUNC = 0x3ffe
/** measured angle with dynamic angle error compensation, 14 bits */
export const AS5047P_ANGLECOM = 0x3fff
// Non-volatile registers (shadowed in RAM; reset values in brackets)
/** zero position, 8 most significant bits [0x0000] */
export const AS5047P_ZPOSM = 0x0016
/** zero position, 6 least significant bits 5:0 [0x0000] */
export const AS5047P_ZPOSL = 0x0017
/** bit 0 factory setting (reads 1), DIR bit 2, UVW_ABI bit 3, DAECDIS bit 4 ... [0x0001] */
export const AS5047P_SETTINGS1 = 0x0018
export const AS5047P_SETTINGS2 = 0x0019

export const AS5047P_ERRFL_FRERR = 0x0001
export const AS5047P_ERRFL_INVCOMM = 0x0002
export const AS5047P_ERRFL_PARERR = 0x0004
export const AS5047P_DIAAGC_COF = 0x0200
export const AS5047P_DIAAGC_MAGH = 0x0400
export const AS5047P_DIAAGC_MAGL = 0x0800
export const AS5047P_SETTINGS1_DIR = 0x0004

/** frame bits: 15 even parity, 14 read (command) or error flag (response), 13:0 address or data */
const FRAME_READ = 0x4000
const FRAME_EF = 0x4000
const DATA_MASK = 0x3fff
export const AS5047P_COUNTS_PER_REV = 16384

/** bit 15 set so that the 16-bit frame has an even number of ones */
export function withParity(word14: number): number {
    let ones = 0
    for (let v = word14 & 0x7fff; v; v >>= 1) ones += v & 1
    return (word14 & 0x7fff) | ((ones & 1) << 15)
}

export function parityOk(frame: number): boolean {
    return withParity(frame) === frame
}

export class AS5047P {
    private readonly tx = Buffer.alloc(2)

    constructor(private readonly bus: SpiBus) {}

    /** one 16-bit frame out, the response to the previous frame in (register access: readRegister) */
    async frame(word: number): Promise<number> {
        this.tx.setAt(0, "u8", word >> 8)
        this.tx.setAt(1, "u8", word & 0xff)
        const rx = await this.bus.transfer(this.tx)
        return (rx.getAt(0, "u8") << 8) | rx.getAt(1, "u8")
    }

    /** The response to a read arrives with the next frame (a NOP). A parity error or the error flag throws. */
    async readRegister(addr: number): Promise<number> {
        await this.frame(withParity(FRAME_READ | addr))
        const r = await this.frame(withParity(FRAME_READ | AS5047P_NOP))
        if (!parityOk(r)) throw new Error(`AS5047P: parity error reading ${hex(addr)}`)
        if (r & FRAME_EF) throw new Error(`AS5047P: error flag reading ${hex(addr)}, ERRFL ${hex(await this.readErrorFlags())}`)
        return r & DATA_MASK
    }

    /** The chip answers a write with the register's new content: anything else (or the error flag, bit 14) throws. */
    async writeRegister(addr: number, value: number): Promise<void> {
        await this.frame(withParity(addr & DATA_MASK))
        await this.frame(withParity(value & DATA_MASK))
        const r = (await this.frame(withParity(FRAME_READ | AS5047P_NOP))) & (FRAME_EF | DATA_MASK)
        if (r !== (value & DATA_MASK)) throw new Error(`AS5047P: ${hex(addr)} answers ${hex(r)} to writing ${hex(value)}`)
    }

    /** the output angle, 0 to 2π */
    async angleRad(): Promise<number> {
        return countsToRad(await this.readRegister(AS5047P_ANGLECOM))
    }

    /** reads (and so clears) ERRFL: a read of ERRFL, then a NOP frame to fetch it (no error check) */
    async readErrorFlags(): Promise<number> {
        await this.frame(withParity(FRAME_READ | AS5047P_ERRFL))
        return (await this.frame(withParity(FRAME_READ | AS5047P_NOP))) & DATA_MASK
    }

    /** null when the magnet is fine, else what is wrong (DIAAGC) */
    async magnetProblem(): Promise<string> {
        const d = await this.readRegister(AS5047P_DIAAGC)
        if (d & AS5047P_DIAAGC_MAGH) return "magnetic field too strong (MAGH)"
        if (d & AS5047P_DIAAGC_MAGL) return "magnetic field too weak (MAGL)"
        if (d & AS5047P_DIAAGC_COF) return "CORDIC overflow (COF)"
        return null
    }

    /**
     * Zero position (ZPOSM/ZPOSL) and counting direction (SETTINGS1.DIR; set: counts up clockwise seen
     * from the magnet side), written to the volatile shadow registers and read back. Not part of start-up:
     * the joint leaves the reset values (zero 0, DIR clear) and applies its settings encZeroRad and encDir
     * itself (jointAngleRad in devs/joint/power-stage.ts), so a zero measured on the bench is in plain encoder counts.
     */
    async setZeroAndDirection(zeroCounts: number, reverse: boolean): Promise<void> {
        await modifyRegister(this, AS5047P_SETTINGS1, AS5047P_SETTINGS1_DIR, reverse ? AS5047P_SETTINGS1_DIR : 0)
        const zero = zeroCounts & DATA_MASK
        await this.writeRegister(AS5047P_ZPOSM, zero >> 6)
        await modifyRegister(this, AS5047P_ZPOSL, 0x3f, zero & 0x3f)
    }
}

export function countsToRad(counts: number): number {
    return ((counts & DATA_MASK) * 2 * Math.PI) / AS5047P_COUNTS_PER_REV
}

export interface AS5047POptions {
    bus: SpiBus
}

/** Clears the error flags left from power-up and checks the magnet (DIAAGC). */
export async function startAS5047P(options: AS5047POptions): Promise<AS5047P> {
    const enc = new AS5047P(options.bus)
    await enc.readErrorFlags()
    const problem = await enc.magnetProblem()
    if (problem) throw new Error(`AS5047P: ${problem}`)
    return enc
}
