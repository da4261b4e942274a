// hfw sim sweep and hfw sim merge as a user meets them: shards merged give the unsharded sweep's rows,
// a row's trace hash is the one `hfw sim` gives its command, a failed run is a row and the sweep goes
// on, bad input is refused before anything runs or is written. Short runs: foot-gait over 2 steps.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import type { SweepFile } from "../sim/sweep/sweep-file.ts"
import { renderInChromium } from "./browser.ts"
import { hfw } from "./hfw-process.ts"

const base = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-sweep-"))
afterAll(() => fs.rmSync(base, { recursive: true, force: true }))

const SWEEP = ["sim", "sweep", "foot-gait", "--seeds", "1-3", "--param", "steps=2", "--param", "noiseN=1.5,3"]

const readSweep = (dir: string): SweepFile => JSON.parse(fs.readFileSync(path.join(dir, "sweep.json"), "utf8"))
/** the files without the one figure that is the host's, not the run's: the wall-clock real-time factor */
const withoutWallClock = (file: SweepFile) => ({ ...file, rows: file.rows.map(r => ({ ...r, realTimeFactor: null })) })
const csvWithoutWallClock = (dir: string) => {
    const lines = fs.readFileSync(path.join(dir, "sweep.csv"), "utf8").trim().split("\n")
    const k = lines[0].split(",").indexOf("realTimeFactor")
    return lines.map(l => l.split(",").filter((_, i) => i !== k).join(","))
}

describe("hfw sim sweep", () => {
    const whole = path.join(base, "whole")
    const shards = [path.join(base, "shard1"), path.join(base, "shard2")]
    const merged = path.join(base, "merged")
    let wholeRun: ReturnType<typeof hfw>
    let shardRuns: ReturnType<typeof hfw>[]
    beforeAll(() => {
        wholeRun = hfw(...SWEEP, "--workers", "2", "--out", whole, "--json")
        shardRuns = shards.map((dir, i) => hfw(...SWEEP, "--workers", "1", "--shard", `${i + 1}/2`, "--out", dir))
    })

    test("two shards merged give the unsharded sweep row for row, with the same trace hashes", () => {
        expect(wholeRun.status, wholeRun.stderr).toBe(0)
        expect(JSON.parse(wholeRun.stdout)).toMatchObject({ scenario: "foot-gait", runs: 6, rows: 6, failed: 0, workers: 2, shard: null })
        for (const r of shardRuns) expect(r.status, r.stderr).toBe(0)
        expect(readSweep(shards[0]).rows.map(r => r.run)).toEqual([0, 2, 4])

        const m = hfw("sim", "merge", ...shards, "--out", merged, "--json")
        expect(m.status, m.stderr).toBe(0)
        expect(JSON.parse(m.stdout)).toMatchObject({ runs: 6, rows: 6, failed: 0 })
        expect(fs.readdirSync(merged).sort()).toEqual(["report.html", "sweep.csv", "sweep.json"])
        const hashes = readSweep(whole).rows.map(r => r.traceHash)
        expect(new Set(hashes).size).toBe(6)
        expect(readSweep(merged).rows.map(r => r.traceHash)).toEqual(hashes)
        expect(withoutWallClock(readSweep(merged))).toEqual(withoutWallClock(readSweep(whole)))
        expect(csvWithoutWallClock(merged)).toEqual(csvWithoutWallClock(whole))
    })

    test("a row's trace hash and metrics are those hfw sim gives when run with the row's command", () => {
        const row = readSweep(whole).rows[4]
        expect(row).toMatchObject({ seed: 2, params: { steps: 2, noiseN: 3 }, error: null })
        const [hfwWord, ...args] = row.command.split(" ")
        expect(hfwWord).toBe("hfw")
        const r = hfw(...args, "--json")
        expect(r.status, r.stderr).toBe(0)
        const single = JSON.parse(r.stdout)
        expect(single.traceHash).toBe(row.traceHash)
        expect(single.metrics.touchdownLatencyMs.p99).toBe(row.metrics["touchdownLatencyMs.p99"])
        expect(single.params.target).toBe("esp32") // under the target timing model, as the sweep ran it
    })

    test("the report draws each varying figure's distribution and lists the worst runs with their commands", async () => {
        const html = fs.readFileSync(path.join(whole, "report.html"), "utf8")
        expect(html).toContain("Worst runs")
        expect(html).toMatch(/highest [^<]*touchdownLatencyMs\.p99[^<]*<\/td><td>hfw sim foot-gait --seed \d --param steps=2 --param noiseN=/)
        const page = await renderInChromium(path.join(whole, "report.html"))
        expect(page.errors).toEqual([])
        expect(page.canvases.map(c => c.title)).toContain("touchdownLatencyMs.p99")
        expect(page.canvases.map(c => c.title)).not.toContain("panics") // 0 in every run: no histogram
        for (const c of page.canvases) expect(c.drawnPixels, c.title).toBeGreaterThan(0)
    })

    test("a run that fails or measures nothing is a row that says why; the others run and the sweep exits 1", () => {
        const out = path.join(base, "failing")
        // on the stock runtime's 10 ms tick a 1 kHz loop saturates the modelled chip (98 % busy, runs of
        // 350 ms) and never acts on a step; 300 Hz is not a whole number of ms per period, which the
        // firmware's settings refuse
        const r = hfw("sim", "sweep", "joint-step", "--seeds", "1", "--param", "loopHz=100,1000,300", "--duration", "1", "--workers", "2", "--out", out, "--json")
        expect(r.status).toBe(1)
        expect(JSON.parse(r.stdout)).toMatchObject({ runs: 3, failed: 2 })
        const [ok, unmeasured, refused] = readSweep(out).rows
        expect(ok).toMatchObject({ params: { loopHz: 100 }, error: null, panics: 0 })
        expect(ok.traceHash).toMatch(/^[0-9a-f]{16}$/)
        expect(unmeasured).toMatchObject({ params: { loopHz: 1000 }, error: "measured nothing: the joint never acted on a step (not armed, or faulted)" })
        expect(refused).toMatchObject({ params: { loopHz: 300 }, traceHash: null, command: "hfw sim joint-step --seed 1 --duration 1 --param loopHz=300" })
        expect(refused.error).toMatch(/^failed: .*\n.*loopHz = 300: accepted a divisor of 1000/)
        expect(fs.readFileSync(path.join(out, "sweep.csv"), "utf8")).toMatch(/\n2,1,300,.*"failed: [^"]*loopHz = 300/)
        expect(r.stderr).toContain("FAILED run 2: failed: ")
    })

    test("bad seeds, parameter lists, shards and worker counts exit 2 saying what is accepted, and write nothing", () => {
        const out = path.join(base, "never")
        const cases: [string[], string][] = [
            [["--seeds", "9-2"], "--seeds '9-2' is not accepted; A-B (whole numbers, 0 <= A <= B <= 4294967295) or a single seed N"],
            [["--seeds", "1-2", "--param", "steps=2,,3"], "key=v1,v2,... (one value or several, separated by commas, none empty)"],
            [["--seeds", "1-2", "--param", "steps=2,-3"], "parameter steps='-3' is not accepted"],
            [["--seeds", "1-2", "--param", "stepz=2"], "unknown parameter 'stepz'; accepted parameters:"],
            [["--seeds", "1-2", "--shard", "3/2"], "--shard '3/2' is not accepted; I/N with whole numbers 1 <= I <= N"],
            [["--seeds", "1-2", "--workers", "0"], "--workers '0' is not accepted; a whole number of worker threads, 1 or more"],
            [["--param", "steps=2"], "--seeds is required"],
        ]
        for (const [args, message] of cases) {
            const r = hfw("sim", "sweep", "foot-gait", ...args, "--out", out, "--json")
            expect(r.status, args.join(" ")).toBe(2)
            expect(r.stderr).toContain(message)
            expect(r.stdout).toBe("")
        }
        expect(fs.existsSync(out)).toBe(false)
    })

    test("merge refuses a missing shard, a shard given twice, a shard of another build and shards of different sweeps, writing nothing", () => {
        const out = path.join(base, "never-merged")
        expect(hfw("sim", "merge", shards[0], "--out", out).stderr).toContain("3 of 6 runs are in none of the folders (shard 2/2); give every shard")
        expect(hfw("sim", "merge", shards[0], shards[0], shards[1], "--out", out).stderr).toContain("is in both")
        const rebuilt = path.join(base, "rebuilt")
        fs.cpSync(shards[1], rebuilt, { recursive: true })
        const file = readSweep(rebuilt)
        fs.writeFileSync(path.join(rebuilt, "sweep.json"), JSON.stringify({ ...file, bytecode: { ...file.bytecode, foot: "0123456789abcdef" } }))
        expect(hfw("sim", "merge", shards[0], rebuilt, "--out", out).stderr).toContain("ran other builds of the boards' programs")
        const other = path.join(base, "other")
        expect(hfw("sim", "sweep", "foot-gait", "--seeds", "1", "--param", "steps=2", "--out", other).status).toBe(0)
        const r = hfw("sim", "merge", shards[0], other, "--out", out)
        expect(r.status).toBe(2)
        expect(r.stderr).toContain("is a shard of another sweep than")
        expect(fs.existsSync(out)).toBe(false)
    })
})
