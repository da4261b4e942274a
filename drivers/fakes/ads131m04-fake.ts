// A fake ADS131M04 for driver tests in the VM: its register map with the datasheet's reset values,
// 24-bit-word frames whose response word answers the previous frame's command (NULL: STATUS as the
// frame starts, so its DRDY bits tell whether the frame's codes are new; RREG: the register; WREG:
// its acknowledgment; RESET: 0xFF24), and STATUS assembled from MODE and the DRDY flags. Tests set
// channel codes one conversion at a time (`convert`) or let the fake convert on its own clock at the
// data rate CLOCK.OSR sets (`convertContinuously`: the chip keeps only the newest conversion, one not
// read before the next is lost), and inject faults: a channel whose DRDY never sets, a STATUS fault
// bit, a spontaneous reset (brown-out).
import * as ds from "@devicescript/core"
import {
    ADS131M04_CFG,
    ADS131M04_CH0_CFG,
    ADS131M04_CH_REGISTERS,
    ADS131M04_CHANNELS,
    ADS131M04_CLOCK,
    ADS131M04_CMD_NULL,
    ADS131M04_CMD_RESET,
    ADS131M04_CMD_STANDBY,
    ADS131M04_CMD_WAKEUP,
    ADS131M04_FRAME_BYTES,
    ADS131M04_GAIN1,
    ADS131M04_ID,
    ADS131M04_MODE,
    ADS131M04_REGMAP_CRC,
    ADS131M04_RESP_RESET,
    ADS131M04_RESP_WREG,
    ADS131M04_STATUS,
    ADS131M04_THRSHLD_LSB,
    ADS131M04_THRSHLD_MSB,
    getWord16,
    setWord16,
    setWord24,
} from "../ads131m04"
import type { SpiBus } from "../registers"

import { RegisterFile } from "./register-file"

/** MODE bits mirrored in STATUS: CRC_TYPE, RESET, WLENGTH */
const MODE_MIRRORED_IN_STATUS = 0x0f00
/** STATUS bits the fake keeps itself: LOCK, F_RESYNC, REG_MAP, CRC_ERR */
const STATUS_OWN_FLAGS = 0xf000

export class FakeADS131M04 extends RegisterFile implements SpiBus {
    frames = 0
    resets = 0
    standby = false
    /** the chip's ID (0x24xx for the 4-channel part); a test may set another */
    id = 0x2400
    private codes = [0, 0, 0, 0]
    private drdy = 0
    /** channels whose DRDY never sets */
    private stuck = 0
    /** STATUS fault flags injected by a test */
    private flags = 0
    private response = 0
    /** the previous command was NULL: the response word is STATUS as the frame starts */
    private respondStatus = false
    /** conversions overwritten before a read (continuous conversion) */
    lostConversions = 0
    /** continuous conversion: the input's codes at a time (ms), the clock's start and conversions done */
    private input: (ms: number) => number[] = null
    private startMs = 0
    private conversions = 0

    constructor() {
        super()
        this.resetRegisters()
    }

    /** the datasheet's reset values */
    private resetRegisters() {
        this.set(ADS131M04_ID, this.id)
        this.set(ADS131M04_MODE, 0x0510)
        this.set(ADS131M04_CLOCK, 0x0f0e)
        this.set(ADS131M04_GAIN1, 0x0000)
        this.set(ADS131M04_CFG, 0x0600)
        this.set(ADS131M04_THRSHLD_MSB, 0x0000)
        this.set(ADS131M04_THRSHLD_LSB, 0x0000)
        for (let ch = 0; ch < ADS131M04_CHANNELS; ch++) {
            const base = ADS131M04_CH0_CFG + ch * ADS131M04_CH_REGISTERS
            this.set(base, 0x0000) // CHn_CFG
            this.set(base + 1, 0x0000) // CHn_OCAL_MSB
            this.set(base + 2, 0x0000) // CHn_OCAL_LSB
            this.set(base + 3, 0x8000) // CHn_GCAL_MSB: gain 1
            this.set(base + 4, 0x0000) // CHn_GCAL_LSB
        }
        this.set(ADS131M04_REGMAP_CRC, 0x0000)
        this.flags = 0
        this.drdy = 0
    }

    status(): number {
        return this.flags | (this.get(ADS131M04_MODE) & MODE_MIRRORED_IN_STATUS) | this.drdy
    }

    /** a new conversion: the codes (signed 24-bit) of all four channels; DRDY sets except on stuck channels */
    convert(codes: number[]) {
        for (let ch = 0; ch < ADS131M04_CHANNELS; ch++) this.codes[ch] = codes[ch]
        this.drdy = 0xf & ~this.stuck
    }

    /**
     * From now on the chip converts `input(ms)` on its own clock at the data rate CLOCK.OSR sets
     * (32 kHz / 2^OSR code at the 8.192 MHz CLKIN), as it does after reset; the VM's clock (ds.millis)
     * is the chip's time.
     */
    convertContinuously(input: (ms: number) => number[]) {
        this.input = input
        this.startMs = ds.millis()
        this.conversions = 0
    }

    /** the conversions due by now: the newest one's codes, every earlier unread one lost */
    private catchUp() {
        if (this.input === null) return
        const osrCode = (this.get(ADS131M04_CLOCK) >> 2) & 0x7
        const rateHz = 32000 / (1 << osrCode)
        const elapsedMs = ds.millis() - this.startMs
        const due = Math.floor((elapsedMs * rateHz) / 1000) - this.conversions
        if (due <= 0) return
        this.lostConversions += due - 1 + (this.drdy !== 0 ? 1 : 0)
        this.conversions += due
        this.convert(this.input(this.startMs + (this.conversions * 1000) / rateHz))
    }

    /** channel `ch` stops converting: its DRDY bit never sets again */
    stickChannel(ch: number) {
        this.stuck |= 1 << ch
        this.drdy &= ~this.stuck
    }

    /** sets STATUS fault bits (REG_MAP, CRC_ERR, ...) */
    injectStatusFlags(bits: number) {
        this.flags |= bits & STATUS_OWN_FLAGS
    }

    /** a spontaneous reset: registers back to reset values, MODE.RESET (and so STATUS.RESET) set */
    brownOut() {
        this.resetRegisters()
    }

    async transfer(tx: Buffer): Promise<Buffer> {
        if (tx.length !== ADS131M04_FRAME_BYTES) throw new Error(`fake ADS131M04: frame of ${tx.length} bytes, expected ${ADS131M04_FRAME_BYTES}`)
        this.frames++
        this.catchUp()
        const rx = Buffer.alloc(ADS131M04_FRAME_BYTES)
        setWord16(rx, 0, this.respondStatus ? this.status() : this.response)
        for (let ch = 0; ch < ADS131M04_CHANNELS; ch++) setWord24(rx, 1 + ch, this.codes[ch] & 0xffffff)
        this.drdy = 0 // reading the conversion data clears DRDY
        // the CRC word (last) stays 0: the driver does not check it

        const cmd = getWord16(tx, 0)
        const addr = (cmd >> 7) & 0x3f
        this.respondStatus = cmd === ADS131M04_CMD_NULL
        if (cmd === ADS131M04_CMD_NULL) this.response = 0
        else if (cmd === ADS131M04_CMD_RESET) {
            this.resets++
            this.resetRegisters()
            this.response = ADS131M04_RESP_RESET
        } else if (cmd === ADS131M04_CMD_STANDBY || cmd === ADS131M04_CMD_WAKEUP) {
            this.standby = cmd === ADS131M04_CMD_STANDBY
            this.response = cmd
        } else if ((cmd & 0xe000) === 0xa000) {
            // RREG of one register (n = 0)
            this.response = addr === ADS131M04_STATUS ? this.status() : this.get(addr)
        } else if ((cmd & 0xe000) === 0x6000) {
            // WREG of one register: the data word follows the command; ID and STATUS are read-only
            if (addr !== ADS131M04_ID && addr !== ADS131M04_STATUS) this.set(addr, getWord16(tx, 1))
            this.response = ADS131M04_RESP_WREG | (addr << 7)
        } else this.response = 0 // not a command: no response
        return rx
    }
}
