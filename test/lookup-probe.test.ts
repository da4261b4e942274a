// `--param vm.lookups=on` (sim/vm/lookup-probe.ts): each board's lookups by name that compare strings,
// counted by a probe in a copy of the counted VM module, without changing the run.
import { describe, expect, test } from "vitest"
import { runScenario } from "../sim/run.ts"
import { UsageError } from "../sim/errors.ts"

// the joint with the firmware's own current loop: its loop timing's window is an array whose
// `length` the VM finds only past the array methods the core library adds
const RUN = { scenario: "joint-step", durationS: 3, params: ["currentLoop=firmware"] }

describe("the VM's lookups by name", () => {
    test("are counted by name for each board, and the run is the run without the probe: the same trace, opcodes and work", async () => {
        const plain = await runScenario(RUN)
        const probed = await runScenario({ ...RUN, params: [...RUN.params, "vm.lookups=on"] })
        expect(probed.traceHash).toBe(plain.traceHash)
        expect(probed.cpu).toEqual(plain.cpu)
        expect(plain.vmLookups).toBeUndefined()
        const counts = probed.vmLookups!.bench_joint
        expect(counts.length).toBeGreaterThan(3)
        // the most first, and every name looked up at least once
        for (let i = 1; i < counts.length; i++)
            expect(counts[i].lookups + counts[i].compares).toBeLessThanOrEqual(counts[i - 1].lookups + counts[i - 1].compares)
        for (const c of counts) expect(c.lookups).toBeGreaterThan(0)
        // the loop timing's window: about one lookup a period at 1 kHz, each past several names
        const length = counts.find(c => c.name === "length")!
        expect(length.lookups).toBeGreaterThan(1000)
        expect(length.compares).toBeGreaterThan(2 * length.lookups)
    }, 60_000)

    test("a value other than on or off is refused, naming both", async () => {
        await expect(runScenario({ ...RUN, params: ["vm.lookups=yes"] })).rejects.toThrow(UsageError)
        await expect(runScenario({ ...RUN, params: ["vm.lookups=yes"] })).rejects.toThrow(/one of off, on/)
    })
})
