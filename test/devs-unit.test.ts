// The DeviceScript unit tests (devs/**/*.test.ts, drivers/*.test.ts) run inside the real VM, as one
// program (tools/devs-unit.ts): compiled here rather than before the suites (test/global-setup.ts),
// so that on a fresh clone the compile runs while the other suites do. Each test file is a test here.
import { beforeAll, describe, expect, test } from "vitest"
import fs from "node:fs"
import { devsUnitTests } from "../sim/firmware.ts"
import { runDevsTest, type DevsTestResult } from "../sim/vm/devs-test.ts"
import { buildProgram } from "../tools/build.ts"
import type { CompileResult } from "../tools/compile.ts"
import { FILE_END_TITLE, devsUnitBytecodePath, resultsByFile, writeDevsUnitProgram, type FileResult } from "../tools/devs-unit.ts"

describe("DeviceScript unit tests in the VM", () => {
    const files = devsUnitTests()
    let compiled: CompileResult
    let run: DevsTestResult | undefined
    let byFile = new Map<string, FileResult>()
    beforeAll(async () => {
        compiled = await buildProgram(writeDevsUnitProgram(files), devsUnitBytecodePath())
        if (!compiled.ok) return
        run = await runDevsTest(new Uint8Array(fs.readFileSync(devsUnitBytecodePath())))
        byFile = resultsByFile(files, run)
    })
    test("there are some; the program compiles and runs to its end, every test passing", () => {
        expect(files.length).toBeGreaterThan(0)
        expect(compiled.ok, compiled.diagnostics).toBe(true)
        expect(run!.failures).toEqual([])
        // each file's tests, and the test that ends each
        expect(run!.tests).toBe(files.length + [...byFile.values()].reduce((n, r) => n + r.tests, 0))
        expect(run!.passed).toBe(run!.tests)
        expect(run!.ok).toBe(true)
    })
    for (const file of files)
        test(file, () => {
            expect(compiled.ok, compiled.diagnostics).toBe(true)
            const r = byFile.get(file)!
            expect(r.failures).toEqual([])
            expect(r.tests).toBeGreaterThan(0)
        })
})

describe("each file's tests from the one program's output (resultsByFile)", () => {
    const files = ["devs/lib/a.test.ts", "devs/lib/b.test.ts", "devs/lib/c.test.ts"]
    const end = (file: string) => [`> ${FILE_END_TITLE}${file}`, ">   yields to the runtime"]
    const opening = ["> preparing to run tests...", "> running 6 tests"]
    const fileA = ["> A", ">   one", ">   two"]
    const fileB = ["> B", ">   three", "* Exception: AssertionError", "*   message: toBe: expected 2.2 got 2.1"]
    const fileC = ["> C", ">   four"]
    const result = (log: string[], failures: DevsTestResult["failures"] = []): DevsTestResult => ({ ok: false, tests: 0, passed: 0, failures, log })

    test("a test and its failure belong to the file whose end marker comes next", () => {
        const log = [...opening, ...fileA, ...end(files[0]), ...fileB, ...end(files[1]), ...fileC, ...end(files[2]), "> tests: 7, pass: 6, error: 1"]
        const r = resultsByFile(files, result(log))
        expect(r.get(files[0])).toEqual({ tests: 2, failures: [] })
        expect(r.get(files[1])).toEqual({ tests: 1, failures: [{ test: "three", error: "toBe: expected 2.2 got 2.1" }] })
        expect(r.get(files[2])).toEqual({ tests: 1, failures: [] })
    })

    test("a run that stopped: its failure in the file it stopped in, the files after it not run", () => {
        const log = [...opening, ...fileA, ...end(files[0]), "> B", ">   spins", "! Exception: InfiniteLoop"]
        const r = resultsByFile(files, result(log, [{ test: "spins", error: "VM panic 60001" }]))
        expect(r.get(files[0])).toEqual({ tests: 2, failures: [] })
        expect(r.get(files[1])).toEqual({ tests: 1, failures: [{ test: "spins", error: "VM panic 60001" }] })
        expect(r.get(files[2])!.failures).toEqual([{ test: "", error: "not run: the program stopped in devs/lib/b.test.ts (VM panic 60001)" }])
    })
})
