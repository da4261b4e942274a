// Runs a DeviceScript test program (@devicescript/test) in a VM on its own virtual clock, as
// `devs run --test -k` does: GC stress on, a clean exit (panic code 0) means every test passed.
import { VirtualClock } from "../clock.ts"
import { Random } from "../random.ts"
import { BoardVm } from "./board-vm.ts"
import { createVmFactory } from "./loader.ts"
import { IDEAL_TARGET, TargetModel } from "./target-model.ts"

export interface DevsTestResult {
    ok: boolean
    /** counts from the framework's closing line "tests: N, pass: P, error: E" */
    tests: number
    passed: number
    /** names of the tests that failed, with the exception that failed them */
    failures: { test: string; error: string }[]
    log: string[]
}

const TEST_DEVICE_ID = "12abdd2289421234" // the id `devs run --test` uses

export async function runDevsTest(bytecode: Uint8Array, timeoutS = 60): Promise<DevsTestResult> {
    const clock = new VirtualClock()
    const random = new Random(0)
    const factory = createVmFactory({ nowMs: () => clock.nowMs, randomBytes: n => random.bytes(n) })
    const log: string[] = []
    let exitCode: number | undefined
    const vm = await BoardVm.start(factory, {
        name: "test",
        deviceId: TEST_DEVICE_ID,
        bytecode,
        clock,
        random,
        // unit tests of pure code: they check results, not the board's time
        model: new TargetModel("esp32s3", IDEAL_TARGET),
        gcStress: true,
        onFrame: () => {},
        onDmesg: line => log.push(line),
        onPanic: p => (exitCode = p.code),
    })
    const stepUs = 100_000
    while (exitCode === undefined && clock.nowUs < timeoutS * 1e6) await clock.runUntil(clock.nowUs + stepUs)
    vm.stop()
    return summarize(log, exitCode, timeoutS)
}

/** the lines of @devicescript/test's output that name a test, a test's failure and the closing count */
export const TEST_OUTPUT = {
    test: /^>   (.*)$/,
    failure: /^\*\s+message: (.*)$/,
    closing: /^> tests: (\d+), pass: (\d+), error: (\d+)/,
    /** the framework's closing verdict: a failure line, not a test's */
    verdict: "test errors",
}

function summarize(log: string[], exitCode: number | undefined, timeoutS: number): DevsTestResult {
    const failures: { test: string; error: string }[] = []
    let currentTest = ""
    let tests = 0
    let passed = 0
    for (const line of log) {
        const name = TEST_OUTPUT.test.exec(line)
        if (name) currentTest = name[1]
        const msg = TEST_OUTPUT.failure.exec(line)
        if (msg && msg[1] !== TEST_OUTPUT.verdict) failures.push({ test: currentTest, error: msg[1] })
        const closing = TEST_OUTPUT.closing.exec(line)
        if (closing) {
            tests = Number(closing[1])
            passed = Number(closing[2])
        }
    }
    if (exitCode === undefined) failures.push({ test: currentTest, error: `no result after ${timeoutS} s of virtual time` })
    else if (exitCode !== 0 && !failures.length) failures.push({ test: currentTest, error: `VM panic ${exitCode}` })
    return { ok: exitCode === 0 && tests > 0 && passed === tests, tests, passed, failures, log }
}
