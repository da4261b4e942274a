// What a sweep runs, how its shards split it, and when a run counts as failed: pure functions, no VM.
import { describe, expect, test } from "vitest"
import { UsageError } from "../sim/errors.ts"
import { checkPlan, combinations, inShard, parseParamLists, parseSeeds, parseShard, simCommand, sweepCommand, type SweepPlan } from "../sim/sweep/plan.ts"
import { columnsOf, flattenMetrics, rowOf, toCsv, type SweepRow } from "../sim/sweep/rows.ts"
import { failedCases } from "../sim/scenarios/faults.ts"
import { garbageFailures } from "../sim/scenarios/garbage.ts"
import type { SimResult } from "../sim/result.ts"
import { findScenario } from "../sim/scenarios/index.ts"
import { binWidthFor } from "../sim/sweep/report.ts"

const plan: SweepPlan = { scenario: "foot-gait", seeds: [3, 5], params: { steps: ["2", "4"], "fault.kind": ["none"] } }

describe("sweep plan", () => {
    test("every combination of seeds and parameter values, numbered, parameter values outermost", () => {
        const all = combinations(plan)
        expect(all.map(c => [c.run, c.seed, c.params.steps])).toEqual([
            [0, 3, "2"], [1, 4, "2"], [2, 5, "2"],
            [3, 3, "4"], [4, 4, "4"], [5, 5, "4"],
        ])
        expect(all.every(c => c.params["fault.kind"] === "none")).toBe(true)
    })

    test("the shards of a sweep hold every run exactly once, whatever the number of shards", () => {
        const all = combinations(plan)
        for (const count of [1, 2, 4, 7]) {
            const runs = Array.from({ length: count }, (_, i) => inShard(all, { index: i + 1, count }).map(c => c.run)).flat()
            expect(runs.sort((a, b) => a - b), `${count} shards`).toEqual(all.map(c => c.run))
        }
    })

    test("a run's command is the hfw sim command line of its seed, duration and parameters, quoted for a shell where needed", () => {
        const c = { run: 0, seed: 9, params: { "fault.kind": "none", label: "a b" } }
        expect(simCommand({ ...plan, durationS: 0.5 }, c)).toBe("hfw sim foot-gait --seed 9 --duration 0.5 --param fault.kind=none --param 'label=a b'")
        expect(sweepCommand(plan)).toBe("hfw sim sweep foot-gait --seeds 3-5 --param steps=2,4 --param fault.kind=none")
    })

    test("bad seeds, parameter lists and shards are refused with what is accepted", () => {
        expect(parseSeeds("1-16")).toEqual([1, 16])
        expect(parseSeeds("7")).toEqual([7, 7])
        for (const s of ["4-1", "x", "-1", "1-", "1-4294967296"]) expect(() => parseSeeds(s), s).toThrow(/--seeds .* is not accepted; A-B \(whole numbers/)
        expect(parseParamLists(["steps=2,4"])).toEqual({ steps: ["2", "4"] })
        for (const p of ["steps", "=2", "steps=", "steps=2,,4"]) expect(() => parseParamLists([p]), p).toThrow(/key=v1,v2,\.\.\./)
        expect(() => parseParamLists(["steps=2", "steps=4"])).toThrow(/given twice/)
        expect(parseShard("2/3")).toEqual({ index: 2, count: 3 })
        for (const s of ["0/2", "3/2", "1", "a/b"]) expect(() => parseShard(s), s).toThrow(/I\/N with whole numbers 1 <= I <= N/)
        expect(() => checkPlan({ ...plan, params: { steps: ["2", "-1"] } })).toThrow(UsageError)
        expect(() => checkPlan({ ...plan, params: { nope: ["1"] } })).toThrow(/unknown parameter 'nope'; accepted parameters/)
        expect(() => checkPlan({ ...plan, seeds: [0, 99_999] })).toThrow(/at most 20000 are accepted/)
    })
})

describe("sweep rows", () => {
    test("groups of metrics are flattened with a dot; lists and the scenario's error are left out", () => {
        expect(flattenMetrics({ steps: 2, latencyMs: { p50: 1, p99: 3 }, rows: [{ a: 1 }], error: "x", ok: true, none: null })).toEqual({
            steps: 2,
            "latencyMs.p50": 1,
            "latencyMs.p99": 3,
            ok: true,
            none: null,
        })
    })

    test("the CSV has a column per swept parameter and metric; a metric named like a column is headed metrics.NAME; cells with commas are quoted", () => {
        const row: SweepRow = {
            run: 0, seed: 1, params: { steps: 2 }, metrics: { steps: 2, errMm: 1.5 },
            busLoadPct: 2, cpuLoadP99Pct: 40, deadlineMisses: 0, faults: 0, panics: 0, realTimeFactor: 20,
            traceHash: "ab", error: 'failed: "x", then y', command: "hfw sim foot-gait --seed 1 --param steps=2",
        }
        const csv = toCsv(columnsOf({ scenario: "foot-gait", seeds: [1, 1], params: { steps: ["2"] } }, [row]), [row]).split("\n")
        expect(csv[0]).toBe("run,seed,steps,metrics.steps,errMm,busLoadPct,cpuLoadP99Pct,deadlineMisses,faults,panics,realTimeFactor,traceHash,error,command")
        expect(csv[1]).toBe('0,1,2,2,1.5,2,40,0,0,0,20,ab,"failed: ""x"", then y",hfw sim foot-gait --seed 1 --param steps=2')
    })

    test("a histogram's bins are 1, 2 or 5 times a power of ten, about 20 over the values' span from zero", () => {
        expect(binWidthFor([9.2, 14.2])).toBe(1)
        expect(binWidthFor([0.01, 0.07])).toBe(0.005)
        expect(binWidthFor([-300, 100])).toBe(20)
        expect(binWidthFor([0, 0])).toBe(1)
    })
})

describe("a scenario's own checks", () => {
    // a run's result as runScenario makes it: the scenario's verdict in failedChecks
    const result = (scenario: string, metrics: Record<string, unknown>, more: Partial<SimResult> = {}): SimResult => {
        const r = { scenario, seed: 1, metrics, panics: 0, panicDetails: [], faults: [], cpu: [], busLoadPct: 0, busLoadBySegment: {}, params: {}, realTimeFactor: 1, traceHash: "ab", ...more } as unknown as SimResult
        const failed = findScenario(scenario).failedChecks?.(r)
        return failed ? { ...r, failedChecks: failed } : r
    }
    const rows = (passed: boolean[]) => passed.map((p, i) => ({ fault: `case ${i}`, passed: p }))

    test("faults fails a run whose cases did not all pass, naming them; hfw sim exits 1 and a sweep counts the run as failed", () => {
        expect(failedCases({ rows: rows([true, true]), cases: 2, passed: 2 })).toBeUndefined()
        expect(failedCases({ rows: rows([true, false, false]), cases: 3, passed: 1 })).toBe("2 of 3 fault cases did not pass: case 1, case 2")
        const failed = result("faults", { rows: rows([false, true]), cases: 2, passed: 1 })
        expect(failed.failedChecks).toBe("1 of 2 fault cases did not pass: case 0")
        const c = { run: 0, seed: 1, params: {} }
        const faultsPlan: SweepPlan = { scenario: "faults", seeds: [1, 1], params: {} }
        expect(rowOf(faultsPlan, c, failed).error).toBe("failed its checks: 1 of 2 fault cases did not pass: case 0")
        expect(rowOf(faultsPlan, c, result("faults", { rows: rows([true]), cases: 1, passed: 1 })).error).toBeNull()
    })

    test("faults says when its joints missed periods of their loop, the most missed, leaving out the joint the garbage case floods", () => {
        const joint = (board: string, missed: number) => ({ board, periodUs: 5000, deadlineMissesAfterFirstSecond: missed })
        const passedRows = { rows: rows([true, true]), cases: 2, passed: 2 }
        expect(result("faults", passedRows, { cpu: [joint("case0_OverCurrent", 0), joint("case11_GarbageFrames", 3)] } as Partial<SimResult>).failedChecks).toBeUndefined()
        expect(result("faults", passedRows, { cpu: [joint("case0_OverCurrent", 4), joint("case1_CurrentSensorSilent", 9), joint("case2_CurrentSensorStuck", 0), joint("case11_GarbageFrames", 20)] } as Partial<SimResult>).failedChecks).toBe(
            "2 of 3 joints missed periods of their 200 Hz loop after the first second (case1_CurrentSensorSilent the most, 9; 0 allowed)"
        )
    })

    test("garbage fails a run that drove beyond the limits, outgrew its heap bound or did not recover, saying which", () => {
        const ok = { maxCurrentA: 45, currentLimitA: 70, torqueLimitCurrentA: 66.67, heapHighWaterBytes: 39000, heapBoundBytes: 40960, recovered: true }
        expect(garbageFailures(ok)).toBeUndefined()
        expect(garbageFailures({ ...ok, maxCurrentA: 68 })).toBe("its current reached 68 A, beyond the settings' 70 A peak or the torque limit's 66.67 A")
        expect(garbageFailures({ ...ok, heapHighWaterBytes: 41036, recovered: false })).toBe(
            "its heap high-water 41036 B is over the bound of 40960 B; it did not recover once the garbage ended"
        )
        // a foot board has no current
        expect(garbageFailures({ heapHighWaterBytes: 22000, heapBoundBytes: 40960, recovered: true })).toBeUndefined()
        expect(result("garbage", { ...ok, recovered: false }).failedChecks).toBe("it did not recover once the garbage ended")
    })

    test("a scenario that makes no checks of its own never fails one", () => {
        expect(findScenario("servo-demo").failedChecks).toBeUndefined()
        expect(result("servo-demo", { settled: false }).failedChecks).toBeUndefined()
    })

    // a board's CPU figures as the run reports them
    const board = (name: string, loadPctP99: number, more: Record<string, number> = {}) =>
        ({ board: name, chip: "ESP32-S3", loadPct: 30, loadPctP99, heapHighWaterBytes: 26000, deadlineMisses: 0, deadlineMissesAfterFirstSecond: 0, ...more }) as unknown as SimResult["cpu"][number]

    test("robot-walk fails a run off the whole robot's targets or a board's timing, saying which and by how much", () => {
        const walk = { jointTrackingRmsDeg: 0.21, contactEvents: { seen: 12, missed: 0, invented: 0 }, boardsNotAnswering: [] }
        const more = { busLoadBySegment: { left_leg_bus: 34, right_leg_bus: 34 }, cpu: [board("left_knee", 41), board("left_foot", 22)], params: { target: "esp32" } }
        expect(result("robot-walk", walk, more).failedChecks).toBeUndefined()
        expect(result("robot-walk", { ...walk, jointTrackingRmsDeg: 1.2 }, more).failedChecks).toBe("joint tracking RMS 1.2 deg over 1 deg")
        expect(result("robot-walk", { ...walk, contactEvents: { seen: 12, missed: 1, invented: 0 } }, { ...more, busLoadBySegment: { left_leg_bus: 71 } }).failedChecks).toBe(
            "left_leg_bus's load 71 % over 70 %; contact events missed 1 over 0"
        )
        const late = { ...more, cpu: [board("left_knee", 64, { deadlineMissesAfterFirstSecond: 2, heapHighWaterBytes: 41000 })] }
        expect(result("robot-walk", walk, late).failedChecks).toBe(
            "left_knee's CPU load p99 64 % over 60 %; left_knee's missed periods after the first second 2 over 0; left_knee's heap high-water 41000 B over 40960 B"
        )
        // with target=ideal the boards' CPU is not modelled: not judged
        expect(result("robot-walk", walk, { ...more, params: { target: "ideal" }, cpu: [board("left_knee", 64)] }).failedChecks).toBeUndefined()
        // a board stopped on purpose is the run's question, not its failure
        const stopped = { ...walk, boardsNotAnswering: [{ board: "right_knee", tS: 1.7 }] }
        expect(result("robot-walk", stopped, more).failedChecks).toBe("boards not answering: right_knee")
        expect(result("robot-walk", stopped, { ...more, params: { target: "esp32", "inject.stopBoard": "right_knee" } }).failedChecks).toBeUndefined()
    })

    test("joint-step judges the step by where its current loop runs; foot-gait its latency by the runtime's tick", () => {
        const step = { riseTimeMs: 0.35, riseTimePeriods: 0.04, overshootPct: 2, settlingTimeMs: 1.2, settlingTimePeriods: 0.12, steadyStateErrorPct: 0.3 }
        expect(result("joint-step", step, { params: { currentLoop: "chip" } }).failedChecks).toBeUndefined()
        expect(result("joint-step", { ...step, riseTimeMs: 0.6 }, { params: { currentLoop: "chip" } }).failedChecks).toBe("rise 0.6 ms over 0.5 ms")
        // the firmware's loop: in periods of its own
        expect(result("joint-step", { ...step, riseTimeMs: 2, riseTimePeriods: 2 }, { params: { currentLoop: "firmware" } }).failedChecks).toBeUndefined()
        expect(result("joint-step", { ...step, riseTimePeriods: 5 }, { params: { currentLoop: "firmware" } }).failedChecks).toBe("rise 5 periods over 4 periods")
        // a run that measured nothing fails as that (sim/run.ts unmeasured), not twice
        expect(result("joint-step", { error: "the joint never acted on a step (not armed, or faulted)" }).failedChecks).toBeUndefined()

        const gait = { falseContacts: 0, missedContacts: 0, touchdownLatencyMs: { p99: 12.5 }, liftoffLatencyMs: { p99: 14 }, copRmsErrorMm: 2, grfRmsErrorPct: 1 }
        expect(result("foot-gait", gait, { params: { target: "esp32", "runtime.tickUs": 10_000 } }).failedChecks).toBeUndefined()
        expect(result("foot-gait", gait, { params: { target: "esp32", "runtime.tickUs": 1000 } }).failedChecks).toBe("touchdown latency p99 12.5 ms over 10 ms")
        expect(result("foot-gait", { ...gait, falseContacts: 2 }, { params: { target: "esp32", "runtime.tickUs": 10_000 } }).failedChecks).toBe("false contacts 2 over 0")
    })

    test("joint-track judges its tracking against the joint's own limits; joint-impedance the stiffness it renders", () => {
        const track = { torqueRmsErrorPct: 2.1, maxCurrentA: 40, currentLimitA: 70, peakWindingC: 31, windingTripC: 140 }
        expect(result("joint-track", track).failedChecks).toBeUndefined()
        expect(result("joint-track", { ...track, maxCurrentA: 72, peakWindingC: 140 }).failedChecks).toBe(
            "maximum current 72 A over 70 A; winding 140 °C reached the trip's 140 °C"
        )
        const impedance = { stiffnessErrorPct: 1.2, positionOvershootPct: 3 }
        expect(result("joint-impedance", impedance).failedChecks).toBeUndefined()
        expect(result("joint-impedance", { ...impedance, stiffnessErrorPct: 6 }, { faults: [{ board: "bench_joint", code: "OverCurrent" }] } as Partial<SimResult>).failedChecks).toBe(
            "stiffness error 6 % of kp over 5 % of kp; faults reported: bench_joint OverCurrent"
        )
    })
})
