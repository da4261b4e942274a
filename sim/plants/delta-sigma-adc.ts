// The foot's ADS131M04 as its conversions time out: every 1 / dataRateHz each channel completes a
// conversion, the output of the chip's sinc3 decimation filter (Texas Instruments ADS131M04, SBAS890,
// "Digital Filter"): a weighted average of the input over the last three conversion periods, its
// weights the sinc3 impulse response (a quadratic B-spline three periods wide; group delay 1.5
// periods). The chip keeps only the newest conversion: one not read before the next completes is
// lost (the chip has no FIFO), and a read sees a channel's DRDY bit set only if it converted since the
// last read.
//
// The input is the cells' element forces on the plant's integration grid (50 µs: ten points or more a
// period up to 2 kSPS, the rates the foot uses). Noise is white at the modulator: its sigma per
// conversion falls with the square root of the averaging, from `noiseN` at 1 kHz (plant.md: "sampled
// at 500-1000 Hz; noise sigma 1.5 N").
import type { Random } from "../random.ts"

/** the chip's reset data rate: OSR 1024 at the 8.192 MHz CLKIN */
export const ADC_RESET_RATE_HZ = 4000
/** the data rate at which a conversion's noise sigma is the plant's noiseN */
const NOISE_REFERENCE_RATE_HZ = 1000

/**
 * The input points of the last three conversion periods, oldest first: each integration step's middle
 * (µs since the ADC started), its length and the channels' forces held over it. A ring of flat arrays,
 * as a point is added every plant step (20,000 a second) and dropped three periods later.
 */
class InputHistory {
    private capacity = 64
    private first = 0
    length = 0
    private tUs = new Float64Array(this.capacity)
    private dtUs = new Float64Array(this.capacity)
    private forcesN: Float64Array

    constructor(private readonly channels: number) {
        this.forcesN = new Float64Array(this.capacity * channels)
    }

    push(tUs: number, dtUs: number, forcesN: readonly number[]) {
        if (this.length === this.capacity) this.grow()
        const slot = (this.first + this.length) % this.capacity
        this.tUs[slot] = tUs
        this.dtUs[slot] = dtUs
        for (let ch = 0; ch < this.channels; ch++) this.forcesN[slot * this.channels + ch] = forcesN[ch]
        this.length++
    }

    /** slot of the k-th point, oldest first */
    slot(k: number) {
        return (this.first + k) % this.capacity
    }
    pointUs(slot: number) {
        return this.tUs[slot]
    }
    stepUs(slot: number) {
        return this.dtUs[slot]
    }
    forceN(slot: number, ch: number) {
        return this.forcesN[slot * this.channels + ch]
    }

    /** drops the `n` oldest points */
    drop(n: number) {
        this.first = (this.first + n) % this.capacity
        this.length -= n
    }

    private grow() {
        const capacity = 2 * this.capacity
        const tUs = new Float64Array(capacity)
        const dtUs = new Float64Array(capacity)
        const forcesN = new Float64Array(capacity * this.channels)
        for (let k = 0; k < this.length; k++) {
            const slot = this.slot(k)
            tUs[k] = this.tUs[slot]
            dtUs[k] = this.dtUs[slot]
            for (let ch = 0; ch < this.channels; ch++) forcesN[k * this.channels + ch] = this.forcesN[slot * this.channels + ch]
        }
        this.capacity = capacity
        this.first = 0
        this.tUs = tUs
        this.dtUs = dtUs
        this.forcesN = forcesN
    }
}

export interface AdcOptions {
    channels: number
    /** conversion codes per newton at the element */
    countsPerN: number
    fullScaleCounts: number
    /** noise sigma of one conversion at 1 kHz */
    noiseN: number
}

export class DeltaSigmaAdc {
    dataRateHz = ADC_RESET_RATE_HZ
    /** conversions completed, and of them those overwritten before a read */
    conversions = 0
    lostConversions = 0
    /** the newest conversion's codes */
    readonly codes: number[]
    private unread: boolean[]
    private history: InputHistory
    /** each channel's weighted sum of its inputs, for the conversion being computed */
    private sums: Float64Array
    private nowUs = 0
    private nextConversionUs = 1e6 / ADC_RESET_RATE_HZ

    constructor(
        readonly o: AdcOptions,
        private readonly noise: Random
    ) {
        this.history = new InputHistory(o.channels)
        this.sums = new Float64Array(o.channels)
        this.codes = new Array(o.channels).fill(0)
        this.unread = new Array(o.channels).fill(false)
    }

    /** the firmware set a new data rate (CLOCK.OSR): conversions restart on its grid */
    setDataRate(hz: number) {
        this.dataRateHz = hz
        this.nextConversionUs = this.nowUs + 1e6 / hz
    }

    /** Feeds the cells' forces held over the last `dtUs`; completes the conversions due. */
    step(dtUs: number, forcesN: readonly number[]) {
        const h = this.history
        h.push(this.nowUs + dtUs / 2, dtUs, forcesN)
        this.nowUs += dtUs
        const periodUs = 1e6 / this.dataRateHz
        while (this.nowUs >= this.nextConversionUs) {
            this.convert(this.nextConversionUs, periodUs)
            this.nextConversionUs += periodUs
        }
        const oldestUs = this.nowUs - 3 * periodUs
        let drop = 0
        while (drop < h.length && h.pointUs(h.slot(drop)) < oldestUs) drop++
        if (drop) h.drop(drop)
    }

    /** Reads every channel: the newest codes and the DRDY bits (bit n: channel n converted since the last read). */
    read(): { codes: number[]; drdy: number } {
        let drdy = 0
        for (let ch = 0; ch < this.o.channels; ch++) {
            if (this.unread[ch]) drdy |= 1 << ch
            this.unread[ch] = false
        }
        return { codes: [...this.codes], drdy }
    }

    private convert(atUs: number, periodUs: number) {
        const sums = this.sums.fill(0)
        let weights = 0
        const h = this.history
        for (let k = 0; k < h.length; k++) {
            const slot = h.slot(k)
            const w = sinc3Weight((atUs - h.pointUs(slot)) / periodUs) * h.stepUs(slot)
            if (w <= 0) continue
            weights += w
            for (let ch = 0; ch < this.o.channels; ch++) sums[ch] += w * h.forceN(slot, ch)
        }
        const sigmaN = this.o.noiseN * Math.sqrt(this.dataRateHz / NOISE_REFERENCE_RATE_HZ)
        const fs = this.o.fullScaleCounts
        for (let ch = 0; ch < this.o.channels; ch++) {
            const forceN = weights > 0 ? sums[ch] / weights : 0
            const c = Math.round((forceN + this.noise.normal(sigmaN)) * this.o.countsPerN)
            this.codes[ch] = Math.max(-fs, Math.min(fs, c))
            if (this.unread[ch]) this.lostConversions++
            this.unread[ch] = true
        }
        this.conversions++
    }
}

/** the sinc3 filter's impulse response at `age` conversion periods back (a quadratic B-spline on 0..3, unnormalised) */
export function sinc3Weight(age: number): number {
    if (age < 0 || age >= 3) return 0
    if (age < 1) return (age * age) / 2
    if (age < 2) return (-2 * age * age + 6 * age - 3) / 2
    return ((3 - age) * (3 - age)) / 2
}
