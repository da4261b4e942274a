// Contact detection on the total normal force of a foot: a swing / touchdown / stance / liftoff state
// machine with hysteresis (touchdown above one threshold, liftoff below a lower one) and debounce
// (a run of samples beyond the threshold), so noise, swing-phase inertial artefacts and touchdown
// ringing do not toggle it.
import * as ds from "@devicescript/core"

export const NO_EVENT = 0
export const TOUCHDOWN = 1
export const LIFTOFF = 2

/** after a transition, the window in which the sole rings and the next transition is not looked for */
export const TRANSIENT_HOLD_US = 30000

export class ContactDetector {
    state = ds.FootContactState.Swing
    touchdownThresholdN = 40
    liftoffThresholdN = 20
    debounceSamples = 1
    /** board time of the first sample of the run that confirmed the last event */
    eventUs = 0
    private run = 0
    private runStartUs = 0
    private enteredUs = 0

    /** true in touchdown and stance */
    inContact() {
        return this.state === ds.FootContactState.Touchdown || this.state === ds.FootContactState.Stance
    }

    /** Feeds one sample of total force; returns TOUCHDOWN, LIFTOFF or NO_EVENT. */
    update(forceN: number, tUs: number): number {
        const S = ds.FootContactState
        const st = this.state
        if (st === S.Swing) {
            if (this.counts(forceN >= this.touchdownThresholdN, tUs)) return this.enter(S.Touchdown, tUs, TOUCHDOWN)
        } else if (st === S.Liftoff) {
            if (tUs - this.enteredUs >= TRANSIENT_HOLD_US) this.enter(S.Swing, tUs, NO_EVENT)
        } else {
            if (st === S.Touchdown && tUs - this.enteredUs >= TRANSIENT_HOLD_US) this.state = S.Stance
            if (this.counts(forceN < this.liftoffThresholdN, tUs)) return this.enter(S.Liftoff, tUs, LIFTOFF)
        }
        return NO_EVENT
    }

    private counts(beyond: boolean, tUs: number): boolean {
        if (!beyond) {
            this.run = 0
            return false
        }
        if (this.run === 0) this.runStartUs = tUs
        this.run++
        return this.run >= this.debounceSamples
    }

    private enter(state: ds.FootContactState, tUs: number, event: number): number {
        this.state = state
        this.enteredUs = tUs
        this.eventUs = this.runStartUs
        this.run = 0
        return event
    }
}
