// `--param vm.profile=on` (sim/vm/op-profile.ts): each board's counted work charged to the bytecode
// functions that did it, by calls the interpreter makes to the host, without changing the run.
import { describe, expect, test } from "vitest"
import { runScenario } from "../sim/run.ts"
import { UsageError } from "../sim/errors.ts"
import { runProgram } from "../tools/run-program.ts"

// (target=ideal: the board's CPU figures then count every wake, its boot's included, as the profile does)
const RUN = { scenario: "joint-step", durationS: 2, params: ["target=ideal"] }

describe("the VM's work by bytecode function", () => {
    test("is charged to the program's functions, adds up to the board's opcodes, and the run is the run without it", async () => {
        const plain = await runScenario(RUN)
        const profiled = await runScenario({ ...RUN, params: [...RUN.params, "vm.profile=on"] })
        expect(profiled.traceHash).toBe(plain.traceHash)
        expect(profiled.cpu).toEqual(plain.cpu)
        expect(plain.vmProfile).toBeUndefined()
        const rows = profiled.vmProfile!.bench_joint
        // the most first; the rest of the program in one last row, so the rows add up to the board's
        for (let i = 1; i < rows.length - 1; i++) expect(rows[i].work).toBeLessThanOrEqual(rows[i - 1].work)
        expect(rows.at(-1)!.name).toBe("(other functions)")
        expect(rows.reduce((n, r) => n + r.opcodes, 0)).toBe(plain.cpu[0].opcodes)
        expect(rows.reduce((n, r) => n + r.pct, 0)).toBeCloseTo(100, 0)
        // named by the function and where it starts; the control step among the costliest
        const step = rows.find(r => /^step devs\/joint\/controller\.ts:\d+$/.test(r.name))
        expect(step).toBeDefined()
        expect(rows.indexOf(step!)).toBeLessThan(5)
        expect(step!.opcodes).toBeGreaterThan(100 * 200) // some two hundred opcodes a period, 100 Hz, 2 s
        // the runtime's own work (frames, timers, the scheduler) has no opcodes of the program
        expect(rows.find(r => r.name === "(runtime)")).toMatchObject({ opcodes: 0 })
    }, 60_000)

    test("of any program run on a simulated board (hfw sim run): its busy loop's function first", async () => {
        // test/devs/work.ts: every 100 ms a loop of 1000 to 4000 iterations in its interval's callback
        const r = await runProgram({ file: "test/devs/work.ts", board: "joint", durationS: 2, params: ["vm.profile=on", "target=ideal"] })
        const rows = r.vmProfile!
        expect(rows[0].name).toMatch(/^inline test\/devs\/work\.ts:8$/)
        expect(rows[0].pct).toBeGreaterThan(80)
        expect(rows.reduce((n, f) => n + f.opcodes, 0)).toBe(r.cpu.opcodes)
    }, 60_000)

    test("is refused beside the lookup probe, each being a copy of the VM of its own", async () => {
        const both = runScenario({ ...RUN, params: ["vm.profile=on", "vm.lookups=on"] })
        await expect(both).rejects.toThrow(UsageError)
        await expect(both).rejects.toThrow(/vm.lookups=on and vm.profile=on are not accepted together/)
    })
})
