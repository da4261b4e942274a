// The hfw command line as a user runs it.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { describe, expect, test } from "vitest"
import { readBytecode, REPO_ROOT } from "../sim/firmware.ts"
import { compileDevs } from "../tools/compile.ts"
import { buildProgram } from "../tools/build.ts"
import { changedSources, staleBuildWarning } from "../sim/build-stamp.ts"
import { USAGE_LINES } from "../tools/help.ts"
import { hfw } from "./hfw-process.ts"

describe("hfw", () => {
    test("sim --json prints exactly one JSON object on stdout", () => {
        const r = hfw("sim", "servo-demo", "--duration", "0.2", "--json")
        expect(r.status).toBe(0)
        const out = JSON.parse(r.stdout)
        expect(out.scenario).toBe("servo-demo")
        expect(r.stderr).toContain("x real time")
        // the one scenario that judges nothing says so, and why, where the others' checks go
        expect(r.stderr).toContain("checks: none: a demonstration of a 1 kHz loop the stock runtime cannot keep")
    })

    test("a bad scenario exits non-zero, lists the scenarios, and writes nothing", () => {
        const dir = path.join(os.tmpdir(), `hfw-bad-${process.pid}`)
        const r = hfw("sim", "nope", "--out", dir)
        expect(r.status).toBe(2)
        expect(r.stderr).toMatch(/unknown scenario 'nope'; accepted scenarios:\n\s+robot-walk[\s\S]*servo-demo/)
        expect(fs.existsSync(dir)).toBe(false)
    })

    test("sim --trace takes both, mcap or csv: another choice, or one without --out, names what is accepted and writes nothing", () => {
        const dir = path.join(os.tmpdir(), `hfw-trace-bad-${process.pid}`)
        const bad = hfw("sim", "servo-demo", "--duration", "0.2", "--trace", "parquet", "--out", dir)
        expect(bad.status).toBe(2)
        expect(bad.stderr).toContain("--trace 'parquet' is not accepted; one of both (trace.mcap and trace/*.csv), mcap (trace.mcap), csv (trace/*.csv)")
        expect(fs.existsSync(dir)).toBe(false)
        const noOut = hfw("sim", "servo-demo", "--duration", "0.2", "--trace", "mcap")
        expect(noOut.status).toBe(2)
        expect(noOut.stderr).toContain("give --out DIR too")
    })

    test("bench refuses a bad protocol, target, joint or parameter, says what is accepted, and writes nothing", () => {
        const dir = path.join(os.tmpdir(), `hfw-bench-bad-${process.pid}`)
        const cases: [string[], RegExp][] = [
            [["bench", "wobble", "--target", "sim"], /unknown protocol 'wobble'; one of loop-timing, step, sweep, torque-constant, friction, thermal, all/],
            [["bench", "step", "--target", "usb:3"], /--target 'usb:3' is not accepted; one of sim, tcp:HOST:PORT/],
            [["bench", "step"], /--target is required/],
            [["bench", "step", "--target", "sim", "--joint", "elbow"], /--joint 'elbow' is not accepted for a joint board; accepted: left_hip_yaw/],
            [["bench", "step", "--target", "sim", "--param", "maxEdges=0"], /parameter maxEdges='0' is not accepted/],
            [["bench", "fit", "--from", dir], /no summary.json/],
        ]
        for (const [args, message] of cases) {
            const r = hfw(...args, "--out", dir)
            expect(r.status, args.join(" ")).toBe(2)
            expect(r.stderr).toMatch(message)
        }
        expect(fs.existsSync(dir)).toBe(false)
    })

    test("an unknown command lists the commands", () => {
        const r = hfw("fly")
        expect(r.status).toBe(2)
        expect(r.stderr).toMatch(/unknown command 'fly'; accepted: build, sim, [\s\S]*hfw build[\s\S]*hfw sim/)
    })

    test("build rejects an unknown board and names the boards", () => {
        const r = hfw("build", "--board", "elbow")
        expect(r.status).toBe(2)
        expect(r.stderr).toContain("unknown board 'elbow'; accepted: joint, foot, demo, cpucal")
    })

    test("a program that does not compile gives the compiler's diagnostics with file and line", async () => {
        const rel = `build/tmp-bad-${process.pid}.ts`
        fs.mkdirSync(path.join(REPO_ROOT, "build"), { recursive: true })
        fs.writeFileSync(path.join(REPO_ROOT, rel), "let x: number = 1\nx = 'not a number'\n")
        const out = path.join(os.tmpdir(), `bad-${process.pid}.devs`)
        const r = await compileDevs(rel, out)
        fs.rmSync(path.join(REPO_ROOT, rel))
        expect(r.ok).toBe(false)
        expect(r.diagnostics).toMatch(new RegExp(`tmp-bad-${process.pid}\\.ts\\(2,1\\): error`))
        expect(fs.existsSync(out)).toBe(false)
    })

    // compiles (the DeviceScript compiler writes to one folder: compiling tests stay in this file)
    test("sim run runs any program on a simulated board: its console lines and its chip's figures", () => {
        const r = hfw("sim", "run", "test/devs/ticks.ts", "--board", "foot", "--duration", "2", "--json")
        expect(r.status).toBe(0)
        const out = JSON.parse(r.stdout)
        expect(out.console).toHaveLength(1)
        expect(out.console[0]).toMatch(/^device [0-9a-f]{16}$/)
        expect(out.cpu.chip).toBe("ESP32-C3")
        // the 1 ms interval on the stock 10 ms tick: about 100 wakes a second
        expect(out.cpu.wakes).toBeGreaterThan(180)
        expect(out.cpu.wakes).toBeLessThan(220)
        expect(out.cpu.loadPct).toBeGreaterThan(0)
        expect(r.stderr).toMatch(/\[\s+0\.0\d\d s\] device/)
    })

    test("sim run refuses a board kind it does not know and a file that is not there", () => {
        const bad = hfw("sim", "run", "test/devs/ticks.ts", "--board", "elbow")
        expect(bad.status).toBe(2)
        expect(bad.stderr).toContain("--board 'elbow' is not accepted; one of joint, foot")
        const missing = hfw("sim", "run", "test/devs/nope.ts")
        expect(missing.status).toBe(2)
        expect(missing.stderr).toContain("test/devs/nope.ts: no such DeviceScript file")
    })

    test("--help and help list every command, sim's scenarios and bench's protocols, and one scenario's parameters", () => {
        for (const args of [["--help"], ["help"], ["-h"]]) {
            const r = hfw(...args)
            expect(r.status, args.join(" ")).toBe(0)
            for (const u of USAGE_LINES) expect(r.stdout).toContain(u.usage)
        }
        const sim = hfw("sim", "--help")
        expect(sim.status).toBe(0)
        expect(sim.stdout).toMatch(/scenarios[\s\S]*robot-walk[\s\S]*joint-step[\s\S]*servo-demo/)
        const scenario = hfw("sim", "joint-step", "--help")
        expect(scenario.stdout).toMatch(/--param loopHz=auto \(Hz, 100\.\.1000, integer\)/)
        for (const cmd of ["bench", "deploy"]) {
            const r = hfw(cmd, "--help")
            expect(r.status, cmd).toBe(0)
            expect(r.stdout).toContain(`hfw ${cmd} `)
        }
        expect(hfw("bench", "--help").stdout).toMatch(/protocols[\s\S]*loop-timing[\s\S]*thermal/)
    })

    test("the README's command table lists exactly the usage lines of hfw --help", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")
        const section = readme.slice(readme.indexOf("## The `hfw` command"), readme.indexOf("### Scenarios"))
        const rows = section
            .split("\n")
            .filter(l => l.startsWith("| `hfw "))
            .map(l => /^\| `(.+?)` \|/.exec(l.replace(/\\\|/g, "|"))![1])
        expect(rows.sort()).toEqual(USAGE_LINES.map(u => u.usage).sort())
    })

    test("an option's negative value is read as its value and refused by its range; an unknown option lists the accepted ones", () => {
        const r = hfw("sim", "joint-step", "--duration", "-1")
        expect(r.status).toBe(2)
        expect(r.stderr).toContain("--duration '-1' is not accepted; seconds, more than 0 and at most 86400")
        const unknown = hfw("sim", "joint-step", "--frob")
        expect(unknown.status).toBe(2)
        expect(unknown.stderr).toContain("unknown option '--frob'; accepted: --seed VALUE, --duration VALUE")
        expect(unknown.stderr).not.toContain("as in '--")
    })

    test("a program not built yet is an error that says to build first", () => {
        expect(() => readBytecode("not-built")).toThrow("build/not-built/not-built.devs is not there: run hfw build first")
    })

    // compiles
    test("build compiles a program only when something it is built from changed", async () => {
        const dir = path.join(REPO_ROOT, "build", `tmp-cache-${process.pid}`)
        fs.mkdirSync(dir, { recursive: true })
        const entry = path.relative(REPO_ROOT, path.join(dir, "main.ts"))
        const lib = path.join(dir, "lib.ts")
        const out = path.join(os.tmpdir(), `hfw-cache-${process.pid}`, "main.devs")
        try {
            fs.writeFileSync(path.join(REPO_ROOT, entry), 'import { gain } from "./lib"\nconsole.log(gain(2))\n')
            fs.writeFileSync(lib, "export function gain(x: number) { return 2 * x }\n")
            expect((await buildProgram(entry, out)).upToDate).toBe(false)
            expect((await buildProgram(entry, out)).upToDate).toBe(true)
            expect(changedSources(out)).toEqual([])
            // an imported file changes: the bytecode is stale, and says which file; compiled again, then up to date
            fs.writeFileSync(lib, "export function gain(x: number) { return 3 * x }\n")
            const libRel = path.relative(REPO_ROOT, lib)
            expect(changedSources(out)).toEqual([libRel])
            expect(staleBuildWarning({ board: "main", bytecode: "main.devs", changed: changedSources(out) })).toBe(
                `warning: main.devs was compiled before ${libRel} changed: what runs is the program as built, not the sources as they are (hfw build compiles them)`
            )
            expect((await buildProgram(entry, out)).upToDate).toBe(false)
            expect(changedSources(out)).toEqual([])
            expect((await buildProgram(entry, out)).upToDate).toBe(true)
            // the output is not the one built: compiled again
            fs.writeFileSync(out, "not bytecode")
            const again = await buildProgram(entry, out)
            expect(again.upToDate).toBe(false)
            expect(fs.readFileSync(out).length).toBe(again.bytes)
        } finally {
            fs.rmSync(dir, { recursive: true, force: true })
            fs.rmSync(path.dirname(out), { recursive: true, force: true })
        }
    })

    test("settings --check names Infinity, a file that is not JSON, and missing ids as missing", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-settings-"))
        const good = fs.readFileSync(path.join(REPO_ROOT, "settings", "left_knee.json"), "utf8")
        const file = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name))
        const infinite = hfw("settings", "--check", file("inf.json", good.replace(/"rOhm": *[0-9.e-]+/, '"rOhm": 1e400')))
        expect(infinite.stderr).toContain("rOhm = Infinity: accepted a number from 0.01 to 10")
        const notJson = hfw("settings", "--check", file("bad.json", "{ nope"))
        expect(notJson.stderr).toMatch(/bad\.json: not JSON: /)
        expect(notJson.stderr).not.toContain("bad field")
        const empty = hfw("settings", "--check", file("empty.json", "{}"))
        expect(empty.stderr).toContain("jointId missing: accepted left_hip_yaw")
        expect(empty.stderr).toContain("actuator missing: accepted large, small")
        expect(empty.stderr).not.toContain("undefined")
        for (const r of [infinite, notJson, empty]) expect(r.status).toBe(1)
        fs.rmSync(dir, { recursive: true })
        // the usage of build names every board it builds
        expect(hfw("build", "--help").stdout).toContain("hfw build [--board joint|foot|demo|cpucal|all] [--json]")
    })
})
