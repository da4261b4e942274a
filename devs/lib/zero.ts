// Zero offsets of the load cells. Measured by averaging a window of samples at start-up and on tare
// (foot unloaded), then tracked while the foot is known to be in the air, so the cells' temperature
// drift (up to 2 N/min) does not turn into phantom load. Tracking is a slow low-pass, rate-limited
// well above the drift rate but far below any real loading, so a foot set down slowly is not zeroed away.

/** time constant of the in-swing tracking */
export const TRACK_TIME_CONSTANT_S = 2
/** fastest zero movement the tracker follows, per cell: 30 x the specified drift (plant.md) */
export const TRACK_MAX_RATE_N_PER_S = 1
/**
 * the tracking needs a step no more often than this: its time constant is a hundred times longer, and
 * a step per sample (200 a second at 5 ms) cost the foot 1.9 points of CPU load (foot-gait, 1 ms tick)
 */
export const TRACK_EVERY_US = 20000

export class ZeroTracker {
    /** samples of the zeroing window still to be averaged: zeroing while above 0 (a field, not a
     * method: the sampling loop reads it every sample) */
    remaining = 0
    readonly offsetsN: number[] = []
    private sums: number[] = []
    private taken = 0

    constructor(readonly cells: number) {
        for (let i = 0; i < cells; i++) {
            this.offsetsN.push(0)
            this.sums.push(0)
        }
    }

    /** Averages the next `samples` samples into new offsets. */
    start(samples: number) {
        for (let i = 0; i < this.cells; i++) this.sums[i] = 0
        this.remaining = samples
        this.taken = 0
    }

    /** Feeds one sample of the cells (newtons, not zeroed); writes the zeroed forces into `outN`. */
    apply(rawN: number[], outN: number[]) {
        const n = this.cells
        const offsetsN = this.offsetsN
        if (this.remaining > 0) {
            for (let i = 0; i < n; i++) this.sums[i] += rawN[i]
            this.taken++
            if (--this.remaining === 0) for (let i = 0; i < n; i++) offsetsN[i] = this.sums[i] / this.taken
        }
        // (fields read once into locals: this runs every sample)
        for (let i = 0; i < n; i++) outN[i] = rawN[i] - offsetsN[i]
    }

    /**
     * Moves the offsets of `z` toward `rawN` (the foot is unloaded), over `dtS` since the last call.
     * Static, called with the tracker: it runs on every sample in the air, and the VM finds an
     * instance's method only after comparing its name with each of the object's fields as strings.
     */
    static track(z: ZeroTracker, rawN: number[], dtS: number) {
        if (z.remaining > 0 || dtS <= 0) return
        const k = dtS >= TRACK_TIME_CONSTANT_S ? 1 : dtS / TRACK_TIME_CONSTANT_S
        const maxStep = TRACK_MAX_RATE_N_PER_S * dtS
        const offsetsN = z.offsetsN
        const n = z.cells
        for (let i = 0; i < n; i++) {
            let step = k * (rawN[i] - offsetsN[i])
            if (step > maxStep) step = maxStep
            else if (step < -maxStep) step = -maxStep
            offsetsN[i] += step
        }
    }
}
