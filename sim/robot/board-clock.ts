// A board's clock as the body controller sees it. A foot board stamps each sample with its own time
// (µs in a wrapping u32, whole milliseconds); its reports and events carry the stamp of the sample
// they come from. Jacdac has no clock synchronisation, so the body controller learns the offset from
// the arrivals of reports and events: the smallest (arrival − stamp) over the last window is the offset plus the
// fastest delivery in that window. A sample's time on the body controller's clock is then its stamp
// plus that offset: late by at most the fastest delivery (a few milliseconds), never early.

const U32_SPAN = 2 ** 32
/** the offset is the smallest arrival − stamp over this long (the board's clock drifts slowly) */
const WINDOW_US = 2_000_000

export class BoardClock {
    private lastStampUs: number | undefined
    private unwrapUs = 0
    /** (arrival − stamp) minima of the current and the previous window */
    private currentMin = Infinity
    private previousMin = Infinity
    private windowStartUs = 0

    /** a report or event stamped `stampU32` arrived at `arrivalUs` (the body controller's clock) */
    observe(stampU32: number, arrivalUs: number) {
        const d = arrivalUs - this.unwrap(stampU32)
        if (arrivalUs - this.windowStartUs > WINDOW_US) {
            this.previousMin = this.currentMin
            this.currentMin = Infinity
            this.windowStartUs = arrivalUs
        }
        if (d < this.currentMin) this.currentMin = d
    }

    /** the board time `stampU32` on the body controller's clock; undefined before any report */
    hostUs(stampU32: number): number | undefined {
        const offset = Math.min(this.currentMin, this.previousMin)
        return offset === Infinity ? undefined : this.unwrap(stampU32) + offset
    }

    private unwrap(stampU32: number): number {
        const last = this.lastStampUs
        if (last === undefined) this.lastStampUs = stampU32
        else {
            const back = last - stampU32
            // a stamp far below the last has wrapped; one far above is from before the last wrap
            if (back > U32_SPAN / 2) {
                this.unwrapUs += U32_SPAN
                this.lastStampUs = stampU32
            } else if (back < -U32_SPAN / 2) return stampU32 + this.unwrapUs - U32_SPAN
            else if (back < 0) this.lastStampUs = stampU32
        }
        return stampU32 + this.unwrapUs
    }
}
