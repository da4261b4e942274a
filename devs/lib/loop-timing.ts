// The control loop's own timing, from the board's microsecond clock: mean period, the 99th
// percentile of the deviation from the nominal period, and overruns (periods longer than 1.5
// nominal), over windows of a fixed number of periods. On hardware this is the only truth about
// the achievable loop rate.

const HISTOGRAM_BIN_US = 25
const HISTOGRAM_BINS = 200 // deviations up to 5 ms

export class LoopTiming {
    /** figures of the last complete window */
    meanPeriodUs = 0
    p99DeviationUs = 0
    overruns = 0
    totalOverruns = 0
    windows = 0

    private count = 0
    private sumUs = 0
    private windowOverruns = 0
    private histogram: number[] = []

    constructor(
        public nominalPeriodUs: number,
        public windowPeriods: number
    ) {
        for (let i = 0; i < HISTOGRAM_BINS; i++) this.histogram.push(0)
    }

    /** adds one measured period; true when a window just completed */
    add(periodUs: number): boolean {
        this.count++
        this.sumUs += periodUs
        if (periodUs > 1.5 * this.nominalPeriodUs) {
            this.windowOverruns++
            this.totalOverruns++
        }
        const dev = Math.abs(periodUs - this.nominalPeriodUs)
        let bin = Math.floor(dev / HISTOGRAM_BIN_US)
        if (bin >= HISTOGRAM_BINS) bin = HISTOGRAM_BINS - 1
        this.histogram[bin]++
        if (this.count < this.windowPeriods) return false
        this.finishWindow()
        return true
    }

    private finishWindow() {
        this.meanPeriodUs = this.sumUs / this.count
        const rank = Math.ceil(0.99 * this.count)
        let seen = 0
        for (let i = 0; i < HISTOGRAM_BINS; i++) {
            seen += this.histogram[i]
            if (seen >= rank) {
                this.p99DeviationUs = (i + 1) * HISTOGRAM_BIN_US
                break
            }
        }
        this.overruns = this.windowOverruns
        this.windows++
        this.count = 0
        this.sumUs = 0
        this.windowOverruns = 0
        for (let i = 0; i < HISTOGRAM_BINS; i++) this.histogram[i] = 0
    }
}
