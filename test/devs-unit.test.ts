// The DeviceScript unit tests (devs/**/*.test.ts) run inside the real VM.
import { describe, expect, test } from "vitest"
import { devsUnitTests } from "../sim/firmware.ts"
import { runDevsTest } from "../sim/vm/devs-test.ts"
import { bytecodeOf } from "./helpers.ts"

describe("DeviceScript unit tests in the VM", () => {
    const entries = devsUnitTests()
    test("there are some", () => expect(entries.length).toBeGreaterThan(0))
    for (const entry of entries) {
        test(entry, async () => {
            const r = await runDevsTest(bytecodeOf(entry))
            expect(r.failures).toEqual([])
            expect(r.tests).toBeGreaterThan(0)
            expect(r.passed).toBe(r.tests)
            expect(r.ok).toBe(true)
        })
    }
})
