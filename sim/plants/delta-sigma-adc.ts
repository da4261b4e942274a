// The foot's ADS131M04 as its conversions time out: every 1 / dataRateHz each channel completes a
// conversion, the output of the chip's sinc3 decimation filter (Texas Instruments ADS131M04, SBAS890,
// "Digital Filter"): a weighted average of the input over the last three conversion periods, its
// weights the sinc3 impulse response (a quadratic B-spline three periods wide; group delay 1.5
// periods). The chip keeps only the newest conversion: one not read before the next completes is
// lost (the chip has no FIFO), and a read sees a channel's DRDY bit set only if it converted since the
// last read.
//
// The input is the cells' element forces on the plant's integration grid (50 µs: ten points or more a
// period up to 2 kSPS, the rates the foot uses), held over each step. Noise is white at the
// modulator: its sigma per conversion falls with the square root of the averaging, from `noiseN` at
// 1 kHz (plant.md: "sampled at 500-1000 Hz; noise sigma 1.5 N").
import type { Random } from "../random.ts"

/** the chip's reset data rate: OSR 1024 at the 8.192 MHz CLKIN */
export const ADC_RESET_RATE_HZ = 4000
/** the data rate at which a conversion's noise sigma is the plant's noiseN */
const NOISE_REFERENCE_RATE_HZ = 1000

/**
 * The sinc3 weight of an input at `u` (0..1) of the way through a conversion period, for the conversion
 * that ends that period (age 1 - u periods), the next one (2 - u) and the one after (3 - u): the three
 * pieces of sinc3Weight. Each is a quadratic in u, so a period's inputs enter every conversion through
 * three sums (of the input times 1, u and u^2, each weighted by its step's length), kept as the
 * period goes: a conversion then costs the same whatever the number of steps in its periods.
 */
const PIECES = [
    // [constant, u, u^2] coefficients of 2 * weight
    [1, -2, 1], // age 1 - u: (1 - u)^2
    [1, 2, -2], // age 2 - u: 1 + 2u - 2u^2
    [0, 0, 1], // age 3 - u: u^2
] as const

/** one conversion period's input: sums over its steps of dt, dt u, dt u^2, and of each times each channel's force */
class PeriodSums {
    /** [dt, dt u, dt u^2] */
    readonly weight = new Float64Array(3)
    /** per channel, [dt f, dt f u, dt f u^2] */
    readonly force: Float64Array

    constructor(channels: number) {
        this.force = new Float64Array(3 * channels)
    }

    add(u: number, dtUs: number, forcesN: readonly number[]) {
        const du = dtUs * u
        const duu = du * u
        const w = this.weight
        w[0] += dtUs
        w[1] += du
        w[2] += duu
        const force = this.force
        for (let ch = 0, k = 0; k < force.length; ch++, k += 3) {
            const f = forcesN[ch]
            force[k] += dtUs * f
            force[k + 1] += du * f
            force[k + 2] += duu * f
        }
    }

    clear() {
        // (loops: a typed array's fill is a builtin call, dearer than four or twelve stores)
        const w = this.weight
        w[0] = w[1] = w[2] = 0
        const f = this.force
        for (let k = 0; k < f.length; k++) f[k] = 0
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
    /** the input of the last three periods, the current one first (it ends at the next conversion) */
    private periods: PeriodSums[]
    /** each channel's weighted sum of its inputs, for the conversion being computed */
    private sums: Float64Array
    private nowUs = 0
    private nextConversionUs = 1e6 / ADC_RESET_RATE_HZ

    constructor(
        readonly o: AdcOptions,
        private readonly noise: Random
    ) {
        this.periods = [0, 1, 2].map(() => new PeriodSums(o.channels))
        this.sums = new Float64Array(o.channels)
        this.codes = new Array(o.channels).fill(0)
        this.unread = new Array(o.channels).fill(false)
    }

    /**
     * the firmware set a new data rate (CLOCK.OSR): conversions restart on its grid, and the filter
     * with them (the first two conversions after average one and two periods)
     */
    setDataRate(hz: number) {
        this.dataRateHz = hz
        this.nextConversionUs = this.nowUs + 1e6 / hz
        for (const p of this.periods) p.clear()
    }

    /**
     * Feeds the cells' forces held over the last `dtUs`; completes the conversions due. A step enters
     * the period its middle falls in (the midpoint rule over the filter's weights).
     */
    step(dtUs: number, forcesN: readonly number[]) {
        const midUs = this.nowUs + dtUs / 2
        this.nowUs += dtUs
        while (midUs >= this.nextConversionUs) this.convert()
        const periodUs = 1e6 / this.dataRateHz
        this.periods[0].add((midUs - (this.nextConversionUs - periodUs)) / periodUs, dtUs, forcesN)
        while (this.nowUs >= this.nextConversionUs) this.convert()
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

    /** the conversion at the end of the current period; the periods move on by one */
    private convert() {
        const channels = this.o.channels
        const sums = this.sums
        for (let ch = 0; ch < channels; ch++) sums[ch] = 0
        let weights = 0
        for (let age = 0; age < 3; age++) {
            const piece = PIECES[age]
            const c0 = piece[0]
            const c1 = piece[1]
            const c2 = piece[2]
            const { weight: w, force } = this.periods[age]
            weights += (c0 * w[0] + c1 * w[1] + c2 * w[2]) / 2
            for (let ch = 0, k = 0; ch < channels; ch++, k += 3)
                sums[ch] += (c0 * force[k] + c1 * force[k + 1] + c2 * force[k + 2]) / 2
        }
        const sigmaN = this.o.noiseN * Math.sqrt(this.dataRateHz / NOISE_REFERENCE_RATE_HZ)
        const fs = this.o.fullScaleCounts
        for (let ch = 0; ch < channels; ch++) {
            const forceN = weights > 0 ? sums[ch] / weights : 0
            const c = Math.round((forceN + this.noise.normal(sigmaN)) * this.o.countsPerN)
            this.codes[ch] = Math.max(-fs, Math.min(fs, c))
            if (this.unread[ch]) this.lostConversions++
            this.unread[ch] = true
        }
        this.conversions++
        const periods = this.periods
        const oldest = periods[2]
        oldest.clear()
        periods[2] = periods[1]
        periods[1] = periods[0]
        periods[0] = oldest
        this.nextConversionUs += 1e6 / this.dataRateHz
    }
}

/** the sinc3 filter's impulse response at `age` conversion periods back (a quadratic B-spline on 0..3, unnormalised) */
export function sinc3Weight(age: number): number {
    if (age < 0 || age >= 3) return 0
    if (age < 1) return (age * age) / 2
    if (age < 2) return (-2 * age * age + 6 * age - 3) / 2
    return ((3 - age) * (3 - age)) / 2
}
