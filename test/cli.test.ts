// The hfw command line as a user runs it.
import { spawnSync } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { describe, expect, test } from "vitest"
import { REPO_ROOT } from "../sim/firmware.ts"
import { compileDevs } from "../tools/compile.ts"

const hfw = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO_ROOT, "tools", "hfw.mjs"), ...args], { cwd: REPO_ROOT, encoding: "utf8" })

describe("hfw", () => {
    test("sim --json prints exactly one JSON object on stdout", () => {
        const r = hfw("sim", "servo-demo", "--duration", "0.2", "--json")
        expect(r.status).toBe(0)
        const out = JSON.parse(r.stdout)
        expect(out.scenario).toBe("servo-demo")
        expect(r.stderr).toContain("x real time")
    })

    test("a bad scenario exits non-zero, lists the scenarios, and writes nothing", () => {
        const dir = path.join(os.tmpdir(), `hfw-bad-${process.pid}`)
        const r = hfw("sim", "nope", "--out", dir)
        expect(r.status).toBe(2)
        expect(r.stderr).toMatch(/unknown scenario 'nope'; accepted scenarios:\n\s+robot-walk[\s\S]*servo-demo/)
        expect(fs.existsSync(dir)).toBe(false)
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
        expect(r.stderr).toMatch(/unknown command 'fly'; accepted commands:[\s\S]*hfw build[\s\S]*hfw sim/)
    })

    test("build rejects an unknown board and names the boards", () => {
        const r = hfw("build", "--board", "elbow")
        expect(r.status).toBe(2)
        expect(r.stderr).toContain("unknown board 'elbow'; accepted: joint, foot, demo, cpucal")
    })

    test("a program that does not compile gives the compiler's diagnostics with file and line", () => {
        const rel = `build/tmp-bad-${process.pid}.ts`
        fs.mkdirSync(path.join(REPO_ROOT, "build"), { recursive: true })
        fs.writeFileSync(path.join(REPO_ROOT, rel), "let x: number = 1\nx = 'not a number'\n")
        const out = path.join(os.tmpdir(), `bad-${process.pid}.devs`)
        const r = compileDevs(rel, out)
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
})
