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

    /**
     * Feeds `d` one sample of total force; returns TOUCHDOWN, LIFTOFF or NO_EVENT. Static, called with
     * the detector: it runs on every sample, and the VM finds an instance's method only after comparing
     * its name with each of the object's fields as strings (objects.c `lookup`); a static is found at once.
     */
    static update(d: ContactDetector, forceN: number, tUs: number): number {
        const S = ds.FootContactState
        const st = d.state
        // beyond the threshold that ends this state (none in liftoff: it waits out the transient)
        let beyond = false
        if (st === S.Swing) beyond = forceN >= d.touchdownThresholdN
        else if (st === S.Liftoff) {
            if (tUs - d.enteredUs >= TRANSIENT_HOLD_US) ContactDetector.enter(d, S.Swing, tUs, NO_EVENT)
        } else {
            if (st === S.Touchdown && tUs - d.enteredUs >= TRANSIENT_HOLD_US) d.state = S.Stance
            beyond = forceN < d.liftoffThresholdN
        }
        // the debounce run (written here, not called: this runs on every sample, and a call costs the
        // VM an activation record on its heap)
        if (!beyond) {
            d.run = 0
            d.confirming = false
            return NO_EVENT
        }
        if (d.run === 0) d.runStartUs = tUs
        d.run++
        // a touchdown sample below STRONG_TOUCHDOWN times the threshold needs the next one too
        const needed = st === S.Swing && d.debounceSamples < 2 && forceN < STRONG_TOUCHDOWN * d.touchdownThresholdN ? 2 : d.debounceSamples
        if (d.run < needed) {
            d.confirming = st === S.Swing
            return NO_EVENT
        }
        return st === S.Swing ? ContactDetector.enter(d, S.Touchdown, tUs, TOUCHDOWN) : ContactDetector.enter(d, S.Liftoff, tUs, LIFTOFF)
    }

    private static enter(d: ContactDetector, state: ds.FootContactState, tUs: number, event: number): number {
        d.state = state
        d.enteredUs = tUs
        d.eventUs = d.runStartUs
        d.run = 0
        d.confirming = false
        return event
    }
}
