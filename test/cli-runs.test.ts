// hfw sim and bench runs as a user meets them: parameters checked before the run, runs that measured
// nothing, output folders checked before the run and holding one run's outputs.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { describe, expect, test } from "vitest"
import { hfw } from "./hfw-process.ts"

describe("hfw runs", () => {
    test("scenario parameters that become firmware settings are checked with the settings' rules before the run", () => {
        const r = hfw("sim", "joint-step", "--param", "loopHz=300", "--json")
        expect(r.status).toBe(2)
        expect(r.stderr).toContain("loopHz = 300: accepted a divisor of 1000")
        expect(r.stdout).toBe("")
    })

    test("a run whose metrics could not be measured exits 1 and says why", () => {
        const r = hfw("sim", "joint-step", "--duration", "0.05", "--json")
        expect(r.status).toBe(1)
        expect(JSON.parse(r.stdout).metrics.error).toBeTruthy()
        expect(r.stderr).toMatch(/joint-step measured nothing: the joint never acted on a step/)
    })

    test("--out is checked before the run: a file, a path under a file, an unwritable place, a folder of other files", () => {
        const base = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-out-"))
        const file = path.join(base, "a-file")
        fs.writeFileSync(file, "mine")
        const userDir = path.join(base, "notes")
        fs.mkdirSync(userDir)
        fs.writeFileSync(path.join(userDir, "notes.txt"), "mine")
        const cases: [string, string][] = [
            [file, "is a file; give a folder"],
            [path.join(file, "run"), `${file} is a file, not a folder`],
            [userDir, "holds files that are not an earlier run's outputs (notes.txt)"],
        ]
        if (fs.existsSync("/proc/self")) cases.push(["/proc/x", "cannot write in /proc"])
        for (const [out, message] of cases) {
            // a long run: refused at once, not after it
            const r = hfw("sim", "robot-walk", "--duration", "60", "--out", out)
            expect(r.status, out).toBe(2)
            expect(r.stderr).toContain(message)
            expect(r.stderr).not.toMatch(/\n\s+at /)
        }
        // bench alike, and fit's parameters file
        const bench = hfw("bench", "step", "--target", "sim", "--out", userDir)
        expect(bench.status).toBe(2)
        expect(bench.stderr).toContain("holds files that are not an earlier run's outputs (notes.txt)")
        const fit = hfw("bench", "fit", "--from", userDir, "--out", path.join(file, "params.json"))
        expect(fit.status).toBe(2)
        expect(fit.stderr).toContain(`${file} is a file, not a folder`)
        expect(fs.readFileSync(file, "utf8")).toBe("mine")
        expect(fs.readdirSync(userDir)).toEqual(["notes.txt"])
        expect(fs.readdirSync(base).sort()).toEqual(["a-file", "notes"])
        fs.rmSync(base, { recursive: true })
    })

    test("an output folder holds exactly one run's outputs: a second run replaces the first's", () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hfw-rerun-")), "run")
        expect(hfw("sim", "servo-demo", "--duration", "0.1", "--param", "boards=2", "--out", out).status).toBe(0)
        expect(fs.readdirSync(path.join(out, "trace")).filter(f => f.startsWith("servo1"))).not.toEqual([])
        expect(hfw("sim", "servo-demo", "--duration", "0.1", "--out", out).status).toBe(0)
        expect(fs.readdirSync(path.join(out, "trace")).filter(f => f.startsWith("servo1"))).toEqual([])
        expect(JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8")).boards).toBe(1)
        // nothing left beside it
        expect(fs.readdirSync(path.dirname(out))).toEqual(["run"])

        // bench fit and compare: a simulation's folder is not a bench run's
        for (const cmd of ["fit", "compare"]) {
            const r = hfw("bench", cmd, "--from", out)
            expect(r.status, cmd).toBe(2)
            expect(r.stderr).toContain(`--from ${out} is a simulation's folder (hfw sim servo-demo), not a bench run's`)
        }
        fs.rmSync(path.dirname(out), { recursive: true })
    })
})
