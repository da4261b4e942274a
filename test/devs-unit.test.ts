// The DeviceScript unit tests (devs/**/*.test.ts, drivers/*.test.ts) run inside the real VM, as one
// program (tools/devs-unit.ts): compiled here rather than before the suites (test/global-setup.ts),
// so that on a fresh clone the compile runs while the other suites do. Each test file is a test here.
import { beforeAll, describe, expect, test } from "vitest"
import fs from "node:fs"
import { devsUnitTests } from "../sim/firmware.ts"
import { runDevsTest, type DevsTestResult } from "../sim/vm/devs-test.ts"
import { buildProgram } from "../tools/build.ts"
import type { CompileResult } from "../tools/compile.ts"
import { devsUnitBytecodePath, resultsByFile, writeDevsUnitProgram, type FileResult } from "../tools/devs-unit.ts"

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
