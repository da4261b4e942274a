import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { ContactDetector, LIFTOFF, NO_EVENT, TOUCHDOWN, TRANSIENT_HOLD_US } from "./contact"

const PERIOD_US = 2000

/** feeds `forces` at 500 Hz from `t0Us`; returns the events in order */
function feed(d: ContactDetector, forces: number[], t0Us: number): number[] {
    const events: number[] = []
    for (let i = 0; i < forces.length; i++) {
        const e = ContactDetector.update(d, forces[i], t0Us + i * PERIOD_US)
        if (e !== NO_EVENT) events.push(e)
    }
    return events
}

describe("contact detector", () => {
    test("touches down after the debounce run, stamped with the run's first sample", () => {
        const d = new ContactDetector()
        d.debounceSamples = 2
        const events = feed(d, [0, 5, 45, 60, 120], 0)
        expect(events.length).toBe(1)
        expect(events[0]).toBe(TOUCHDOWN)
        expect(d.eventUs).toBe(2 * PERIOD_US)
        expect(d.inContact()).toBe(true)
    })
    test("with a debounce of two samples a single spike above the threshold is not a touchdown", () => {
        const d = new ContactDetector()
        d.debounceSamples = 2
        expect(feed(d, [0, 80, 0, 0, 90, 3], 0).length).toBe(0)
        expect(d.state).toBe(ds.FootContactState.Swing)
    })
    test("by default one sample at twice the threshold touches down; one between the threshold and twice it needs the next", () => {
        const d = new ContactDetector()
        let events = feed(d, [0, 5, 2 * 40], 0)
        expect(events.length).toBe(1)
        expect(events[0]).toBe(TOUCHDOWN)
        expect(d.eventUs).toBe(2 * PERIOD_US)
        const e = new ContactDetector()
        expect(feed(e, [0, 45, 0, 79, 0], 0).length).toBe(0)
        events = feed(e, [45, 50], 10 * PERIOD_US)
        expect(events.length).toBe(1)
        expect(e.eventUs).toBe(10 * PERIOD_US)
    })
    test("liftoff takes one sample below its threshold by default", () => {
        const d = new ContactDetector()
        feed(d, [100, 100], 0)
        const events = feed(d, [300, 10], 100 * PERIOD_US)
        expect(events.length).toBe(1)
        expect(events[0]).toBe(LIFTOFF)
    })
    test("hysteresis: a force between the thresholds keeps the contact", () => {
        const d = new ContactDetector()
        feed(d, [100, 100], 0)
        expect(feed(d, [30, 25, 30, 21, 35], 10 * PERIOD_US).length).toBe(0)
        expect(d.inContact()).toBe(true)
    })
    test("lifts off below the lower threshold, then returns to swing after the transient", () => {
        const d = new ContactDetector()
        feed(d, [100, 100], 0)
        const events = feed(d, [300, 10, 5], 100 * PERIOD_US)
        expect(events[0]).toBe(LIFTOFF)
        expect(d.eventUs).toBe(101 * PERIOD_US)
        expect(d.state).toBe(ds.FootContactState.Liftoff)
        ContactDetector.update(d, 0, 102 * PERIOD_US + TRANSIENT_HOLD_US)
        expect(d.state).toBe(ds.FootContactState.Swing)
    })
    test("becomes stance once the touchdown transient is over", () => {
        const d = new ContactDetector()
        feed(d, [100, 100], 0)
        ContactDetector.update(d, 200, PERIOD_US + TRANSIENT_HOLD_US)
        expect(d.state).toBe(ds.FootContactState.Stance)
    })
})
