// The control loop's own timing, from the board's clock: mean period, the 99th percentile of the
// deviation from the nominal period, and overruns (periods longer than 1.5 nominal), over windows of a
// fixed number of periods. On hardware this is the only truth about the achievable loop rate.
//
// The 99th percentile of a window's N deviations is its k-th largest, k = N - ceil(0.99 N) + 1 (2 of
// 100, 11 of 1000): the k largest are kept as they come, so adding a period is a comparison or two and
// closing a window reads one value (a histogram made every window's end a scan of all its bins).

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
    /** the window's largest deviations so far, largest first, at most `keep` of them */
    private largest: number[] = []
    private readonly keep: number

    constructor(
        public nominalPeriodUs: number,
        public windowPeriods: number
    ) {
        this.keep = windowPeriods - Math.ceil(0.99 * windowPeriods) + 1
    }

    /**
     * Adds one measured period to `t`; true when a window just completed. Static, called with the
     * timing: it runs on every sample, and the VM finds an instance's method only after comparing its
     * name with each of the object's fields as strings (objects.c `lookup`); a static is found at once.
     */
    static add(t: LoopTiming, periodUs: number): boolean {
        t.count++
        t.sumUs += periodUs
        if (periodUs > 1.5 * t.nominalPeriodUs) {
            t.windowOverruns++
            t.totalOverruns++
        }
        let dev = periodUs - t.nominalPeriodUs
        if (dev < 0) dev = -dev
        const largest = t.largest
        if (largest.length < t.keep || dev > largest[largest.length - 1]) {
            let i = largest.length < t.keep ? largest.length : largest.length - 1
            while (i > 0 && largest[i - 1] < dev) {
                largest[i] = largest[i - 1]
                i--
            }
            largest[i] = dev
        }
        if (t.count < t.windowPeriods) return false
        t.finishWindow()
        return true
    }

    private finishWindow() {
        this.meanPeriodUs = this.sumUs / this.count
        this.p99DeviationUs = this.largest[this.largest.length - 1]
        this.overruns = this.windowOverruns
        this.windows++
        this.count = 0
        this.sumUs = 0
        this.windowOverruns = 0
        this.largest = []
    }
}
