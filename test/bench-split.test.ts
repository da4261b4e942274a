// The bench's split of a run's wall time by where the code lives (tools/bench-split.ts).
import { describe, expect, test } from "vitest"
import { allowedMsPerBoardSecond, formatBudget, partOf, PARTS, sharesOf, splitProfile, type Part } from "../tools/bench-split.ts"

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

    test("states a target factor as the milliseconds per board-second it allows, against the VM's and the host's", () => {
        const split = Object.fromEntries(PARTS.map(p => [p, p === "VM" ? 0.46 : 0.09])) as Record<Part, number>
        // fourteen boards at 10 x: 1000 / 140 ms per board-second in all
        expect(allowedMsPerBoardSecond(10, 14)).toBeCloseTo(7.143, 3)
        const walk = sharesOf(14.7, split)
        expect(walk.vmMs).toBeCloseTo(6.762, 3)
        expect(walk.hostMs).toBeCloseTo(7.938, 3)
        expect(formatBudget(10, allowedMsPerBoardSecond(10, 14), walk)).toBe("10 x allows 7.1 ms/board-s; now the VM 6.8 + the host 7.9: the host alone is over it")
        expect(formatBudget(100, allowedMsPerBoardSecond(100, 1), sharesOf(30, split))).toBe("100 x allows 10.0 ms/board-s; now the VM 13.8 + the host 16.2: each alone is over it")
        expect(formatBudget(100, allowedMsPerBoardSecond(100, 1), sharesOf(15, split))).toBe("100 x allows 10.0 ms/board-s; now the VM 6.9 + the host 8.1: together over it")
        expect(formatBudget(10, allowedMsPerBoardSecond(10, 1), sharesOf(90, split))).toBe("10 x allows 100.0 ms/board-s; now the VM 41.4 + the host 48.6: within it")
        const vmHeavy = { ...split, VM: 0.9 }
        expect(formatBudget(100, allowedMsPerBoardSecond(100, 1), sharesOf(12, vmHeavy))).toBe("100 x allows 10.0 ms/board-s; now the VM 10.8 + the host 1.2: the VM alone is over it")
    })
})
