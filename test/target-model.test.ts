// The target timing model (sim/vm/target-model.ts): the stock ESP32 runtime's schedule and the CPU
// cost of every run, in virtual time, counted from the real VM's work.
import { JDServerServiceProvider, SensorServer, SRV_POTENTIOMETER } from "jacdac-ts"
import { describe, expect, test } from "vitest"
import { runScenario } from "../sim/run.ts"
import { Simulation, deviceIdFor } from "../sim/simulation.ts"
import type { BoardVm } from "../sim/vm/board-vm.ts"
import { DEFAULT_TARGET, type TargetOptions } from "../sim/vm/target-model.ts"
import { bytecodeOf } from "./helpers.ts"
import { calibrateCpu } from "../tools/bench/cpu-calibration.ts"

/** What the board's hardware link saw: each message's topic, its first u32, and the board's time. */
async function runWithLink(entry: string, target: TargetOptions, durationS: number) {
    const sim = new Simulation({ seed: 1, target })
    const seen: { topic: string; value: number; boardUs: number }[] = []
    let vm: BoardVm | undefined
    vm = await sim.addBoard({
        name: "board",
        bytecode: bytecodeOf(entry),
        segments: [],
        onTwin: (topic, data) => seen.push({ topic, value: new DataView(data.buffer, data.byteOffset).getUint32(0, true), boardUs: vm!.nowUs }),
    })
    await sim.run(durationS)
    await sim.stop()
    return { seen, cpu: vm.cpu.summary(sim.clock.nowUs) }
}

/** board time from each burst's start to its end, by its loop count */
function burstsUs(seen: { topic: string; value: number; boardUs: number }[]) {
    const out = new Map<number, number[]>()
    for (let i = 0; i + 1 < seen.length; i++)
        if (seen[i].topic === "start" && seen[i + 1].topic === "done") {
            const n = seen[i].value
            out.set(n, [...(out.get(n) ?? []), seen[i + 1].boardUs - seen[i].boardUs])
        }
    return out
}

describe("the CPU cost of a run", () => {
    test("is the same run to run and linear in the work done", async () => {
        const a = burstsUs((await runWithLink("test/devs/work.ts", DEFAULT_TARGET, 2)).seen)
        const b = burstsUs((await runWithLink("test/devs/work.ts", DEFAULT_TARGET, 2)).seen)
        expect([...b]).toEqual([...a])
        const d = (n: number) => a.get(n)![1] // a burst after the first round, the program warmed up
        for (const n of [1000, 2000, 4000]) expect(a.get(n)!.length).toBeGreaterThanOrEqual(3)
        // the loop's cost: twice the iterations, twice the time, to 1 %
        const perThousand = d(2000) - d(1000)
        expect(Math.abs(d(4000) - d(2000) - 2 * perThousand) / (2 * perThousand)).toBeLessThan(0.01)
        // ~25 µs an iteration of `x = x + i * 0.5` at 160 MHz (sim/vm/chips.ts): the order, not the figure
        expect(perThousand / 1000).toBeGreaterThan(5)
        expect(perThousand / 1000).toBeLessThan(100)
    })

    test("scales with cpu.scale and with the chip's clock", async () => {
        const base = burstsUs((await runWithLink("test/devs/work.ts", DEFAULT_TARGET, 1)).seen).get(4000)![1]
        const scaled = burstsUs((await runWithLink("test/devs/work.ts", { ...DEFAULT_TARGET, cpuScale: 2 }, 1)).seen).get(4000)![1]
        const fast = burstsUs((await runWithLink("test/devs/work.ts", { ...DEFAULT_TARGET, clockMHz: 240 }, 1)).seen).get(4000)![1]
        expect(scaled / base).toBeCloseTo(2, 2)
        expect(fast / base).toBeCloseTo(160 / 240, 2)
    })

    test("is zero with target=ideal", async () => {
        const r = await runWithLink("test/devs/work.ts", { ...DEFAULT_TARGET, target: "ideal" }, 1)
        for (const times of burstsUs(r.seen).values()) expect(times.every(t => t === 0)).toBe(true)
        expect(r.cpu.loadPct).toBe(0)
    })

    test("a hardware-link message leaves when the work before it in the run is done", async () => {
        const r = await runWithLink("test/devs/work.ts", DEFAULT_TARGET, 2)
        // each burst's run starts on a tick of the 10 ms timer (the board booted at 0); `start` leaves
        // after the wake and the interval's own work, `done` a burst later
        const starts = r.seen.filter(s => s.topic === "start" && s.boardUs > 0.5e6)
        expect(starts.length).toBeGreaterThanOrEqual(10)
        for (const s of starts) {
            expect(s.boardUs % 10_000).toBeGreaterThan(20)
            expect(s.boardUs % 10_000).toBeLessThan(3000)
        }
        const ideal = await runWithLink("test/devs/work.ts", { ...DEFAULT_TARGET, target: "ideal" }, 2)
        for (const s of ideal.seen.filter(s => s.topic === "start")) expect(s.boardUs % 1000).toBe(0)
    })
})

describe("the runtime's schedule", () => {
    const ticksPerSecond = async (target: TargetOptions) => {
        const r = await runWithLink("test/devs/ticks.ts", target, 3)
        return { ticks: r.seen.filter(s => s.boardUs >= 2e6 && s.boardUs < 3e6).length, cpu: r.cpu }
    }

    test("a 1 ms interval on a quiet board runs about 100 times a second on the stock 10 ms tick", async () => {
        const { ticks, cpu } = await ticksPerSecond(DEFAULT_TARGET)
        expect(ticks).toBeGreaterThanOrEqual(95)
        expect(ticks).toBeLessThanOrEqual(105)
        expect(cpu.wakes / 3).toBeLessThan(110)
        // a 1 ms timer waits for the next tick: up to 10 ms late
        expect(cpu.timerLateUsP99).toBeGreaterThan(5000)
        expect(cpu.timerLateUsMax).toBeLessThanOrEqual(10_000)
    })

    test("and about 1000 times a second with runtime.tickUs=1000", async () => {
        const { ticks, cpu } = await ticksPerSecond({ ...DEFAULT_TARGET, tickUs: 1000 })
        expect(ticks).toBeGreaterThan(800)
        expect(ticks).toBeLessThanOrEqual(1000)
        expect(cpu.timerLateUsMax).toBeLessThanOrEqual(1000 + cpu.busyUsMax)
    })

    test("a frame for the board wakes it at once, between ticks", async () => {
        const sim = new Simulation({ seed: 1, target: DEFAULT_TARGET })
        const seg = sim.addSegment("local", false)
        const pot = new SensorServer<[number]>(SRV_POTENTIOMETER, { readingValues: [0.8] })
        seg.bus.addServiceProvider(new JDServerServiceProvider("hw", [pot], { deviceId: deviceIdFor("hw") }))
        const heard: { value: number; boardUs: number }[] = []
        let vm: BoardVm | undefined
        vm = await sim.addBoard({
            name: "listener",
            bytecode: bytecodeOf("test/devs/listener.ts"),
            segments: [seg],
            onTwin: (_topic, data) => heard.push({ value: new DataView(data.buffer, data.byteOffset).getFloat32(0, true), boardUs: vm!.nowUs }),
        })
        await sim.run(1)
        // 1.5 ms after a tick of the board's 10 ms timer (it booted at 0), 8.5 ms before the next
        const sentUs = 1_231_500
        sim.clock.schedule(sentUs, () => {
            pot.reading.setValues([0.25])
            void pot.reading.sendGetAsync()
        })
        await sim.run(0.5)
        await sim.stop()
        const answer = heard.find(h => Math.abs(h.value - 0.25) < 1e-3)
        expect(answer).toBeDefined()
        expect(answer!.boardUs).toBeGreaterThan(sentUs)
        expect(answer!.boardUs).toBeLessThan(1_240_000) // its own run, not the next tick's
    })
})

describe("a run with the model on", () => {
    test("is a function of its inputs: the same seed gives the same trace hash and CPU figures, another seed another hash", async () => {
        // a chip five times faster than the default figures: the foot program keeps up, so the
        // seeded noise reaches its reports
        const params = ["steps=3", "cpu.scale=0.2"]
        const a = await runScenario({ scenario: "foot-gait", seed: 1, params })
        const b = await runScenario({ scenario: "foot-gait", seed: 1, params })
        const c = await runScenario({ scenario: "foot-gait", seed: 2, params })
        expect(a.params.target).toBe("esp32")
        expect(a.panics).toBe(0)
        expect(a.cpu[0].wakes).toBeGreaterThan(50)
        expect(b.traceHash).toBe(a.traceHash)
        expect(b.cpu).toEqual(a.cpu)
        expect(c.traceHash).not.toBe(a.traceHash)
    })
})

describe("the heap", () => {
    test("its high-water mark follows what the program keeps, within the chip's 64 KB", async () => {
        const sim = new Simulation({ seed: 1 })
        const vm = await sim.addBoard({ name: "heap", bytecode: bytecodeOf("test/devs/heap.ts"), segments: [] })
        await sim.run(1.05) // ~10 KB kept
        const at1 = vm.cpu.heapHighWaterBytes
        await sim.run(2) // 20 KB kept
        const at3 = vm.cpu.heapHighWaterBytes
        await sim.stop()
        expect(vm.cpu.collections).toBeGreaterThan(5)
        expect(at3 - at1).toBeGreaterThan(8 * 1024)
        expect(at3 - at1).toBeLessThan(14 * 1024)
        expect(vm.cpu.heapBytes).toBeGreaterThan(63 * 1024)
        expect(vm.cpu.heapBytes).toBeLessThanOrEqual(64 * 1024)
        expect(at3).toBeLessThan(vm.cpu.heapBytes)
    })
})

describe("a runtime built without the free-block fill (runtime.freeFill=off)", () => {
    /** the heap fixture's board after `durationS`, on the stock runtime or the other build */
    async function heapRun(freeFill: boolean, durationS: number) {
        const sim = new Simulation({ seed: 1, target: { ...DEFAULT_TARGET, freeFill } })
        const vm = await sim.addBoard({ name: "heap", bytecode: bytecodeOf("test/devs/heap.ts"), segments: [] })
        await sim.run(durationS)
        await sim.stop()
        return { cpu: vm.cpu.summary(sim.clock.nowUs), panics: sim.panics.length }
    }

    test("allocates and collects exactly as the stock runtime does, for less work", async () => {
        const stock = await heapRun(true, 2)
        const noFill = await heapRun(false, 2)
        expect(noFill.panics).toBe(0)
        // the fill only writes: the same objects in the same places, the same collections
        expect(noFill.cpu.opcodes).toBe(stock.cpu.opcodes)
        expect(noFill.cpu.garbageCollections).toBe(stock.cpu.garbageCollections)
        expect(noFill.cpu.heapHighWaterBytes).toBe(stock.cpu.heapHighWaterBytes)
        expect(noFill.cpu.garbageCollections).toBeGreaterThan(5)
        // every allocation and collection of this program fills kilobytes on the stock runtime
        expect(noFill.cpu.loadPct).toBeLessThan(stock.cpu.loadPct * 0.8)
    })

    test("is refused with the GC stress mode, whose heap check reads the fill", async () => {
        const sim = new Simulation({ seed: 1, target: { ...DEFAULT_TARGET, freeFill: false } })
        await expect(sim.addBoard({ name: "b", bytecode: bytecodeOf("test/devs/heap.ts"), segments: [], gcStress: true })).rejects.toThrow(/runtime.freeFill=on/)
    })
})

describe("hfw bench cpu", () => {
    const near = (actual: number, expected: number, tol: number) =>
        expect(Math.abs(actual - expected) / expected, `${actual} against ${expected}`).toBeLessThan(tol)

    test("on a simulated board gives back the chip table's costs, and a slower chip's", async () => {
        const r = await calibrateCpu({ target: "sim", board: "joint", params: [], log: () => {} })
        expect(r.chip).toBe("ESP32-S3")
        // to within the board's 1 ms clock and the run's fixed costs
        near(r.measured.cyclesPerInstruction, r.table.cyclesPerInstruction, 0.05)
        near(r.measured.cyclesPerF64Op, r.table.cyclesPerF64Op, 0.1)
        near(r.scale.integer, 1, 0.03)
        near(r.scale.double, 1, 0.03)
        // the soft-float operations counted are the program's own: none in the integer loop, and a
        // division (5) and an addition (1) an iteration in the double one (until 925a88d the count took
        // integer comparisons for double operations: 24,053 and 42,053)
        expect(r.work.integer.f64Ops).toBe(0)
        expect(r.work.double.f64Ops).toBe(6 * r.iterations)
        const slow = await calibrateCpu({ target: "sim", board: "foot", params: ["cpu.scale=2"], log: () => {} })
        expect(slow.chip).toBe("ESP32-C3")
        near(slow.scale.integer, 2, 0.03)
        near(slow.measured.cyclesPerInstruction, 2 * slow.table.cyclesPerInstruction, 0.05)
    })
})
