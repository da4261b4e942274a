import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { describe, expect, test } from "vitest"
import { runScenario } from "../sim/run.ts"
import { resolveParams } from "../sim/params.ts"
import { findScenario } from "../sim/scenarios/index.ts"
import { IDEAL } from "./helpers.ts"

describe("hfw sim servo-demo", () => {
    test("prints the contract's fields, measured in the run", async () => {
        // ideal: the demo's 1 kHz loop, as the VM runs it on the virtual clock
        const r = await runScenario({ scenario: "servo-demo", durationS: 1, params: [IDEAL] })
        expect(r).toMatchObject({ scenario: "servo-demo", seed: 1, simSeconds: 1, boards: 1, panics: 0 })
        for (const k of ["wallSeconds", "realTimeFactor", "busLoadPct"]) expect(typeof (r as any)[k]).toBe("number")
        expect(r.traceHash).toMatch(/^[0-9a-f]{16}$/)
        expect(r.realTimeFactor).toBeCloseTo(r.simSeconds / r.wallSeconds, 0)
        // the 1 kHz loop closes through the VM: it runs at its rate and reaches its target
        expect(r.metrics.loopHz).toBeGreaterThan(990)
        expect(r.metrics.loopHz).toBeLessThan(1010)
        expect(r.metrics.finalPositionErrorPct).toBeLessThan(2)
        expect(r.metrics.statusWritesPerBoard).toBeGreaterThan(5)
    })

    // ideal below: these check the simulator's own behaviour through the demo's 1 kHz loop, which on
    // the modelled ESP32 runs at ~600 Hz with 30 ms of jitter and does not settle
    test("the same inputs give the same trace hash; another seed another hash", async () => {
        const a = await runScenario({ scenario: "servo-demo", durationS: 0.5, seed: 3, params: [IDEAL] })
        const b = await runScenario({ scenario: "servo-demo", durationS: 0.5, seed: 3, params: [IDEAL] })
        const c = await runScenario({ scenario: "servo-demo", durationS: 0.5, seed: 4, params: [IDEAL] })
        expect(b.traceHash).toBe(a.traceHash)
        expect(c.traceHash).not.toBe(a.traceHash)
    })

    test("a parameter changes the run", async () => {
        const slow = await runScenario({ scenario: "servo-demo", durationS: 1, params: [IDEAL, "servo.maxSpeedPerS=0.5"] })
        const fast = await runScenario({ scenario: "servo-demo", durationS: 1, params: [IDEAL] })
        expect(slow.metrics.finalPositionErrorPct).toBeGreaterThan(fast.metrics.finalPositionErrorPct as number)
    })

    test("writes the trace as MCAP and CSV, and the summary", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-sim-"))
        const r = await runScenario({ scenario: "servo-demo", durationS: 0.3, outDir: dir, params: [IDEAL] })
        const mcap = fs.readFileSync(path.join(dir, "trace.mcap"))
        expect(mcap.subarray(0, 5).toString("latin1")).toBe("\x89MCAP")
        const csv = fs.readFileSync(path.join(dir, "trace", "servo0_servo.csv"), "utf8").trim().split("\n")
        expect(csv[0]).toBe("time_s,positionTravel,speedTravelPerS,duty")
        expect(csv.length).toBeGreaterThan(250)
        expect(JSON.parse(fs.readFileSync(path.join(dir, "summary.json"), "utf8")).traceHash).toBe(r.traceHash)
        expect(fs.readdirSync(dir).filter(f => f.includes(".tmp-"))).toEqual([])
        fs.rmSync(dir, { recursive: true })
    })
})

describe("bad input", () => {
    test("an unknown scenario names the accepted ones", async () => {
        await expect(runScenario({ scenario: "walk-on-moon" })).rejects.toThrow(/unknown scenario 'walk-on-moon'.*servo-demo/s)
    })
    test("an unknown parameter names the accepted ones", async () => {
        await expect(runScenario({ scenario: "servo-demo", params: ["servo.colour=red"] })).rejects.toThrow(
            /unknown parameter 'servo.colour'.*servo.maxSpeedPerS=4/s
        )
    })
    test("an out-of-range value says what is accepted", async () => {
        await expect(runScenario({ scenario: "servo-demo", params: ["vmJitterMs=-1"] })).rejects.toThrow(
            /vmJitterMs='-1' is not accepted; a number in ms from 0 to 50/
        )
    })
    test("a parameter shown as auto takes auto, and says so when refused", () => {
        const specs = findScenario("joint-step").params
        expect(Number.isNaN(resolveParams(specs, ["loopHz=200", "loopHz=auto"]).loopHz)).toBe(true)
        expect(() => resolveParams(specs, ["loopHz=fast"])).toThrow(/loopHz='fast' is not accepted; an integer in Hz from 100 to 1000, or auto/)
        // and one whose default is a number does not
        expect(() => resolveParams(specs, ["stepA=auto"])).toThrow(/stepA='auto' is not accepted; a number in A from -60 to 60$/)
    })
    test("a step train whose halves are not whole command periods is refused before the run", async () => {
        await expect(runScenario({ scenario: "joint-step", params: ["stepPeriodMs=70"] })).rejects.toThrow(
            /stepPeriodMs=70 is not accepted; a multiple of 20 ms/
        )
    })
})
