// Driver for the TI ADS131M04 4-channel simultaneous-sampling 24-bit delta-sigma ADC (the foot
// board's four load cells), over SPI mode 1. Register names, addresses, bits, reset values, commands
// and scaling are the datasheet's: Texas Instruments ADS131M04, SBAS890, sections "SPI Interface"
// (frames, commands and their responses), "Register Map" and "Ideal Output Codes".
//
// Frames: with the reset word length (24 bits, MODE.WLENGTH = 01) a frame is six 24-bit words MSB
// first. In: the command word (a 16-bit command left-aligned, low byte 0), for WREG the register data
// words, then zeros. Out: the response to the *previous* frame's command, the four channels'
// conversion codes (two's complement), and a CRC word. The input CRC stays off (MODE.RX_CRC_EN = 0)
// and the output CRC word is not checked. Every driver operation ends with a NULL frame, so the
// response word of the next `readSamples` frame is STATUS.
//
// The load-cell loop calls `readSamples` directly: a DeviceScript program may send only about 50
// Jacdac packets a second, so the sample path does not go through a Jacdac server. The bus is
// injected (SpiBus, as for the encoder): on the board the SPI peripheral, in tests a fake of the chip.
import { hex, modifyRegister, type SpiBus } from "./registers"

// Registers (reset values in brackets)
/** bits 11:8 CHANCNT (4), bits 7:0 reserved [0x24xx] */
export const ADS131M04_ID = 0x00
/** LOCK 15, F_RESYNC 14, REG_MAP 13, CRC_ERR 12, CRC_TYPE 11, RESET 10, WLENGTH 9:8, DRDY3..0 3:0 [0x0500] */
export const ADS131M04_STATUS = 0x01
/** REG_CRC_EN 13, RX_CRC_EN 12, CRC_TYPE 11, RESET 10, WLENGTH 9:8, TIMEOUT 4, DRDY_SEL 3:2, DRDY_HiZ 1, DRDY_FMT 0 [0x0510] */
export const ADS131M04_MODE = 0x02
/** CH3_EN..CH0_EN 11:8, TBM 5, OSR 4:2, PWR 1:0 [0x0F0E: all channels on, OSR 1024, high resolution] */
export const ADS131M04_CLOCK = 0x03
/** PGAGAIN3 14:12, PGAGAIN2 10:8, PGAGAIN1 6:4, PGAGAIN0 2:0 [0x0000: gain 1] */
export const ADS131M04_GAIN1 = 0x04
/** GC_DLY 12:9, GC_EN 8, CD_ALLCH 7, CD_NUM 6:4, CD_LEN 3:2, CD_EN 1 [0x0600] */
export const ADS131M04_CFG = 0x06
export const ADS131M04_THRSHLD_MSB = 0x07
export const ADS131M04_THRSHLD_LSB = 0x08
/** channel n's CHn_CFG; its OCAL_MSB, OCAL_LSB, GCAL_MSB [0x8000], GCAL_LSB follow (5 registers a channel) */
export const ADS131M04_CH0_CFG = 0x09
export const ADS131M04_CH_REGISTERS = 5
export const ADS131M04_REGMAP_CRC = 0x3e

export const ADS131M04_ID_CHANCNT_MASK = 0x0f00
export const ADS131M04_ID_CHANCNT_4 = 0x0400
/** the ID's fixed upper byte for the 4-channel part: 0x24 */
export const ADS131M04_ID_VALUE = 0x2400
export const ADS131M04_ID_MASK = 0xff00

export const ADS131M04_STATUS_LOCK = 0x8000
export const ADS131M04_STATUS_F_RESYNC = 0x4000
/** register map CRC fault (only with MODE.REG_CRC_EN) */
export const ADS131M04_STATUS_REG_MAP = 0x2000
/** CRC error in the input frame (only with MODE.RX_CRC_EN) */
export const ADS131M04_STATUS_CRC_ERR = 0x1000
/** a reset happened since MODE.RESET was last cleared */
export const ADS131M04_STATUS_RESET = 0x0400
export const ADS131M04_STATUS_DRDY_MASK = 0x000f

export const ADS131M04_MODE_RESET = 0x0400
export const ADS131M04_MODE_WLENGTH_MASK = 0x0300
export const ADS131M04_MODE_WLENGTH_24 = 0x0100
export const ADS131M04_MODE_TIMEOUT = 0x0010

export const ADS131M04_CLOCK_CH_EN_MASK = 0x0f00
export const ADS131M04_CLOCK_TBM = 0x0020
export const ADS131M04_CLOCK_OSR_MASK = 0x001c
export const ADS131M04_CLOCK_OSR_SHIFT = 2
export const ADS131M04_CLOCK_PWR_MASK = 0x0003
export const ADS131M04_CLOCK_PWR_HIGH_RESOLUTION = 0x0002

// Commands (16 bits) and their responses
export const ADS131M04_CMD_NULL = 0x0000
export const ADS131M04_CMD_RESET = 0x0011
export const ADS131M04_CMD_STANDBY = 0x0022
export const ADS131M04_CMD_WAKEUP = 0x0033
/** RREG 101a aaaa annn nnnn: address 12:7, registers minus one 6:0 */
export const ADS131M04_CMD_RREG = 0xa000
/** WREG 011a aaaa annn nnnn */
export const ADS131M04_CMD_WREG = 0x6000
/** WREG's response 010a aaaa ammm mmmm (m: registers written minus one) */
export const ADS131M04_RESP_WREG = 0x4000
/** RESET's response: 0xFF20 | CHANCNT */
export const ADS131M04_RESP_RESET = 0xff24

export const ADS131M04_CHANNELS = 4
export const ADS131M04_WORD_BYTES = 3
/** response word, four channel words, CRC word */
export const ADS131M04_FRAME_WORDS = 2 + ADS131M04_CHANNELS
export const ADS131M04_FRAME_BYTES = ADS131M04_FRAME_WORDS * ADS131M04_WORD_BYTES

/** reference 1.2 V: full scale is ±1.2 V / gain ("Ideal Output Codes") */
export const ADS131M04_FSR_V = 1.2
/** codes per full scale: 1 LSB = FSR / 2^23 */
export const ADS131M04_CODES_PER_FSR = 8388608
/**
 * nominal output data rate of OSR[2:0] code n = 0..7 (OSR 128 ... 16256) with the 8.192 MHz CLKIN and
 * CLOCK.TBM clear: 32000 Hz / 2^n. A type, so a rate the chip does not have is a compile error.
 */
export type ADS131M04RateHz = 32000 | 16000 | 8000 | 4000 | 2000 | 1000 | 500 | 250
export const ADS131M04_MAX_RATE_HZ = 32000
/** PGA gain of PGAGAINn code n = 0..7: 2^n */
export type ADS131M04Gain = 1 | 2 | 4 | 8 | 16 | 32 | 64 | 128

export function rregCommand(addr: number): number {
    return ADS131M04_CMD_RREG | ((addr & 0x3f) << 7)
}

export function wregCommand(addr: number): number {
    return ADS131M04_CMD_WREG | ((addr & 0x3f) << 7)
}

/** the 24-bit word at word index `i`, most significant byte first */
export function getWord24(buf: Buffer, i: number): number {
    const o = i * ADS131M04_WORD_BYTES
    return (buf.getAt(o, "u8") << 16) | (buf.getAt(o + 1, "u8") << 8) | buf.getAt(o + 2, "u8")
}

export function setWord24(buf: Buffer, i: number, value: number) {
    const o = i * ADS131M04_WORD_BYTES
    buf.setAt(o, "u8", (value >> 16) & 0xff)
    buf.setAt(o + 1, "u8", (value >> 8) & 0xff)
    buf.setAt(o + 2, "u8", value & 0xff)
}

/** a 16-bit command or register value in a 24-bit word: MSB-aligned, low byte 0 */
export function setWord16(buf: Buffer, i: number, value: number) {
    setWord24(buf, i, (value & 0xffff) << 8)
}

export function getWord16(buf: Buffer, i: number): number {
    return getWord24(buf, i) >> 8
}

/** a 24-bit two's complement code as a signed number */
export function signExtend24(v: number): number {
    return (v << 8) >> 8
}

/** volts at the channel's input for a code: code × (1.2 V / gain) / 2^23 */
export function codeToVolts(code: number, gain: number): number {
    return (code * ADS131M04_FSR_V) / gain / ADS131M04_CODES_PER_FSR
}

/** A strain-gauge load cell as its datasheet gives it. */
export interface LoadCell {
    /** rated output at rated capacity, mV per volt of excitation */
    sensitivityMvV: number
    /** rated capacity */
    capacityN: number
}

/** force for a bridge output voltage: full rated output (sensitivity × excitation) is the capacity */
export function voltsToNewtons(volts: number, cell: LoadCell, excitationV: number): number {
    return (volts / ((cell.sensitivityMvV / 1000) * excitationV)) * cell.capacityN
}

/** One frame's conversion results. */
export interface ADS131M04Samples {
    /** signed 24-bit codes, channels 0..3 */
    codes: number[]
    /** STATUS as the frame's response word */
    status: number
    /** STATUS.DRDY3..0: bit n set when channel n's code is new */
    drdy: number
}

export class ADS131M04 {
    private readonly tx = Buffer.alloc(ADS131M04_FRAME_BYTES)
    /** what readSamples returns: the same object every time (no allocation at the sample rate) */
    private readonly samples: ADS131M04Samples = { codes: [0, 0, 0, 0], status: 0, drdy: 0 }

    constructor(private readonly bus: SpiBus) {}

    /** one frame: `command` (and one register data word) out; the whole response frame in */
    private async frame(command: number, data?: number): Promise<Buffer> {
        this.tx.fillAt(0, ADS131M04_FRAME_BYTES, 0)
        setWord16(this.tx, 0, command)
        if (data !== undefined) setWord16(this.tx, 1, data)
        return await this.bus.transfer(this.tx)
    }

    /** sends `command`, then a NULL frame; returns the response word to `command` */
    async command(command: number, data?: number): Promise<number> {
        await this.frame(command, data)
        return getWord16(await this.frame(ADS131M04_CMD_NULL), 0)
    }

    async readRegister(addr: number): Promise<number> {
        return await this.command(rregCommand(addr))
    }

    /** WREG of one register, checked against its acknowledgment. The driver frames 24-bit words: MODE.WLENGTH must stay 01. */
    async writeRegister(addr: number, value: number): Promise<void> {
        const ack = await this.command(wregCommand(addr), value & 0xffff)
        if (ack !== (ADS131M04_RESP_WREG | ((addr & 0x3f) << 7))) throw new Error(`ADS131M04: WREG ${hex(addr)} answered ${hex(ack)}`)
    }

    /** one NULL frame: the four codes and STATUS (the response to the previous NULL) */
    async readSamples(): Promise<ADS131M04Samples> {
        const rx = await this.frame(ADS131M04_CMD_NULL)
        const s = this.samples
        s.status = getWord16(rx, 0)
        for (let ch = 0; ch < ADS131M04_CHANNELS; ch++) s.codes[ch] = signExtend24(getWord24(rx, 1 + ch))
        s.drdy = s.status & ADS131M04_STATUS_DRDY_MASK
        return s
    }

    /** stops conversions (STANDBY) */
    async standby(): Promise<void> {
        await this.command(ADS131M04_CMD_STANDBY)
    }

    /** resumes conversions (WAKEUP) */
    async wakeup(): Promise<void> {
        await this.command(ADS131M04_CMD_WAKEUP)
    }
}

/** null when STATUS shows nothing wrong, else what is wrong */
export function statusProblem(status: number): string {
    if (status & ADS131M04_STATUS_RESET) return "the chip has reset since start-up (STATUS.RESET)"
    if (status & ADS131M04_STATUS_REG_MAP) return "register map CRC fault (STATUS.REG_MAP)"
    if (status & ADS131M04_STATUS_CRC_ERR) return "input frame CRC error (STATUS.CRC_ERR)"
    return null
}

export interface ADS131M04Options {
    bus: SpiBus
    /** nominal output data rate [4000, the reset OSR 1024] */
    dataRateHz?: ADS131M04RateHz
    /** PGA gain on all channels [1] */
    gain?: ADS131M04Gain
}

/**
 * Resets the chip, checks its ID is the 4-channel part,
 * clears MODE.RESET, sets the OSR for the data rate and the PGA gain of all four channels.
 */
export async function startADS131M04(options: ADS131M04Options): Promise<ADS131M04> {
    const osr = Math.round(Math.log2(ADS131M04_MAX_RATE_HZ / (options.dataRateHz || 4000)))
    const pga = Math.round(Math.log2(options.gain || 1))
    const adc = new ADS131M04(options.bus)
    // RESET's response (0xFF24) is not checked: the ID read next tells a silent or another chip
    await adc.command(ADS131M04_CMD_RESET)
    const id = await adc.readRegister(ADS131M04_ID)
    if ((id & ADS131M04_ID_MASK) !== ADS131M04_ID_VALUE) throw new Error(`ADS131M04: ID reads ${hex(id)}, expected 0x24xx`)
    await modifyRegister(adc, ADS131M04_MODE, ADS131M04_MODE_RESET, 0)
    await modifyRegister(adc, ADS131M04_CLOCK, ADS131M04_CLOCK_OSR_MASK | ADS131M04_CLOCK_TBM, osr << ADS131M04_CLOCK_OSR_SHIFT)
    // PGAGAIN3..0 in the four nibbles
    await adc.writeRegister(ADS131M04_GAIN1, pga * 0x1111)
    return adc
}
