// The DeviceScript unit tests (devs/**/*.test.ts) run inside the real VM. Their programs are compiled
// here rather than before the suites (test/global-setup.ts): on a fresh clone the compiles, some 60 s of
// a core, then run while the other suites do.
import { beforeAll, describe, expect, test } from "vitest"
import { devsUnitTests } from "../sim/firmware.ts"
import { runDevsTest } from "../sim/vm/devs-test.ts"
import { buildPrograms } from "../tools/build.ts"
import { bytecodeOf } from "./helpers.ts"

describe("DeviceScript unit tests in the VM", () => {
    const entries = devsUnitTests()
    let compiled: Awaited<ReturnType<typeof buildPrograms>> = []
    beforeAll(async () => {
        compiled = await buildPrograms(entries)
    })
    test("there are some", () => expect(entries.length).toBeGreaterThan(0))
    entries.forEach((entry, i) => {
        test(entry, async () => {
            expect(compiled[i].ok, compiled[i].diagnostics).toBe(true)
            const r = await runDevsTest(bytecodeOf(entry))
            expect(r.failures).toEqual([])
            expect(r.tests).toBeGreaterThan(0)
            expect(r.passed).toBe(r.tests)
            expect(r.ok).toBe(true)
        })
    })
})
