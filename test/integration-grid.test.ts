// The plants' integration: on the grid of the finest step, up to an event's time before any event
// that may read or change them, and only the touched plant up to a board's own (local) event's time.
import { describe, expect, test } from "vitest"
import { Simulation } from "../sim/simulation.ts"

function stepsOf(sim: Simulation) {
    const ends: number[] = []
    const catchUp = sim.integrate({ maxStepUs: 50, step: (dtS, endUs) => ends.push(endUs, Math.round(dtS * 1e6)) })
    return { ends, catchUp }
}

const pairs = (flat: number[]) => flat.flatMap((v, i) => (i % 2 ? [] : [[v, flat[i + 1]]]))

describe("integration of the plants between events", () => {
    test("a board's own event steps only the plant it touches up to its time; any other event steps every plant up to its time", async () => {
        const sim = new Simulation({ seed: 1 })
        const a = stepsOf(sim)
        const b = stepsOf(sim)
        sim.clock.scheduleLocal(120, () => a.catchUp())
        sim.clock.scheduleLocal(170, () => {}) // touches no plant: nothing steps to 170
        sim.clock.schedule(260, () => {})
        await sim.run(0.0004)
        // [end of the step, its length], both µs
        expect(pairs(a.ends)).toEqual([[50, 50], [100, 50], [120, 20], [150, 30], [200, 50], [250, 50], [260, 10], [300, 40], [350, 50], [400, 50]])
        expect(pairs(b.ends)).toEqual([[50, 50], [100, 50], [150, 50], [200, 50], [250, 50], [260, 10], [300, 40], [350, 50], [400, 50]])
    })

    test("a run that ends between grid points leaves every plant at its end", async () => {
        const sim = new Simulation({ seed: 1 })
        const a = stepsOf(sim)
        await sim.run(0.00012)
        expect(pairs(a.ends)).toEqual([[50, 50], [100, 50], [120, 20]])
    })
})
