// Contact detection on the total normal force of a foot: a swing / touchdown / stance / liftoff state
// machine with hysteresis (touchdown above one threshold, liftoff below a lower one) and debounce
// (a run of samples beyond the threshold), so noise, swing-phase inertial artefacts and touchdown
// ringing do not toggle it.
import * as ds from "@devicescript/core"

export const NO_EVENT = 0
export const TOUCHDOWN = 1
export const LIFTOFF = 2

/**
 * A sample at this many times the touchdown threshold or more is a touchdown on its own; one between
 * the threshold and this needs the next sample above the threshold too (at least two samples, whatever
 * the debounce). A heel strike passes it within a couple of milliseconds; noise and the sole's inertia
 * in swing reach the threshold now and then, twice it almost never.
 */
export const STRONG_TOUCHDOWN = 2

/** after a transition, the window in which the sole rings and the next transition is not looked for */
export const TRANSIENT_HOLD_US = 30000

export class ContactDetector {
    state = ds.FootContactState.Swing
    touchdownThresholdN = 40
    liftoffThresholdN = 20
    debounceSamples = 1
    /** board time of the first sample of the run that confirmed the last event */
    eventUs = 0
    /** a touchdown sample below STRONG_TOUCHDOWN times the threshold is waiting for its second sample */
    confirming = false
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
        // beyond the threshold that ends this state (none in liftoff: it waits out the transient)
        let beyond = false
        if (st === S.Swing) beyond = forceN >= this.touchdownThresholdN
        else if (st === S.Liftoff) {
            if (tUs - this.enteredUs >= TRANSIENT_HOLD_US) this.enter(S.Swing, tUs, NO_EVENT)
        } else {
            if (st === S.Touchdown && tUs - this.enteredUs >= TRANSIENT_HOLD_US) this.state = S.Stance
            beyond = forceN < this.liftoffThresholdN
        }
        // the debounce run (written here, not called: this runs on every sample, and a call costs the
        // VM an activation record on its heap)
        if (!beyond) {
            this.run = 0
            this.confirming = false
            return NO_EVENT
        }
        if (this.run === 0) this.runStartUs = tUs
        this.run++
        // a touchdown sample below STRONG_TOUCHDOWN times the threshold needs the next one too
        const needed = st === S.Swing && this.debounceSamples < 2 && forceN < STRONG_TOUCHDOWN * this.touchdownThresholdN ? 2 : this.debounceSamples
        if (this.run < needed) {
            this.confirming = st === S.Swing
            return NO_EVENT
        }
        return st === S.Swing ? this.enter(S.Touchdown, tUs, TOUCHDOWN) : this.enter(S.Liftoff, tUs, LIFTOFF)
    }

    private enter(state: ds.FootContactState, tUs: number, event: number): number {
        this.state = state
        this.enteredUs = tUs
        this.eventUs = this.runStartUs
        this.run = 0
        this.confirming = false
        return event
    }
}
