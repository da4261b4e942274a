// The bench's split of a run's wall time by where the code lives (tools/bench-split.ts).
import { describe, expect, test } from "vitest"
import { partOf, splitProfile } from "../tools/bench-split.ts"

describe("the bench's time split", () => {
    test("charges each function to its part by where it lives", () => {
        expect(partOf("wasm://wasm/devicescript-vm.wasm-0012db6a", "devs_fiber_run")).toBe("VM")
        expect(partOf("file:///x/sim/vm/board-vm.ts", "step")).toBe("VM host side")
        expect(partOf("", "em_send_large_frame")).toBe("VM host side")
        expect(partOf("", "get value")).toBe("VM host side")
        expect(partOf("file:///x/node_modules/jacdac-ts/dist/jacdac.mjs", "emit")).toBe("jacdac-ts")
        expect(partOf("file:///x/sim/plants/actuator.ts", "step")).toBe("plants and boards")
        expect(partOf("file:///x/sim/hardware/joint-board.ts", "")).toBe("plants and boards")
        expect(partOf("file:///x/sim/clock.ts", "runUntil")).toBe("clock and bus")
        expect(partOf("file:///x/sim/bus/segment.ts", "send")).toBe("clock and bus")
        expect(partOf("", "(garbage collector)")).toBe("GC")
        expect(partOf("file:///x/sim/trace.ts", "record")).toBe("other")
        expect(partOf("", "(idle)")).toBeUndefined()
    })

    test("gives each part its share of the sampled time, idle left out", () => {
        const frame = (url: string, functionName: string) => ({ url, functionName })
        const profile = {
            nodes: [
                { id: 1, callFrame: frame("wasm://wasm/vm", "lookup") },
                { id: 2, callFrame: frame("file:///x/node_modules/jacdac-ts/dist/jacdac.mjs", "emit") },
                { id: 3, callFrame: frame("", "(idle)") },
            ],
            // each sample's time is the delta to the next: 30 µs VM, 10 µs jacdac-ts, 50 µs idle
            samples: [1, 2, 3, 1],
            timeDeltas: [0, 30, 10, 50],
        }
        const split = splitProfile(profile)
        expect(split.VM).toBeCloseTo(0.75)
        expect(split["jacdac-ts"]).toBeCloseTo(0.25)
        expect(split.GC).toBe(0)
    })
})
