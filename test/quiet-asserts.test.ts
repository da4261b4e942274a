// sim/bus/quiet-asserts.ts: jacdac-ts's assertion about a register "not implemented" after it reported
// (a garbage frame spoofing a board) is dropped; any other failed assertion still prints.
import { afterEach, describe, expect, test, vi } from "vitest"
import "../sim/bus/quiet-asserts.ts"

describe("console.assert on the simulated buses", () => {
    // (HFW_DEBUG=1 prints every assertion: the test runs without it, whatever the environment says)
    const debug = process.env.HFW_DEBUG
    afterEach(() => {
        vi.restoreAllMocks()
        if (debug === undefined) delete process.env.HFW_DEBUG
        else process.env.HFW_DEBUG = debug
    })

    test("drops the spoofed 'not implemented' assertion and passes every other through", () => {
        delete process.env.HFW_DEBUG
        // (Node's console.assert prints a failed assertion with console.warn)
        const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
        console.assert(false, "register reported changed not implemented", { register: {} })
        expect(warn).not.toHaveBeenCalled()
        console.assert(false, "something else went wrong")
        expect(warn).toHaveBeenCalledTimes(1)
        console.assert(true, "register reported changed not implemented")
        console.assert(true, "fine")
        expect(warn).toHaveBeenCalledTimes(1)
    })
})
