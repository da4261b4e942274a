import fs from "node:fs"
import { expect } from "vitest"
import { bytecodePath, programName } from "../sim/firmware.ts"
import { DeployError, deploy, type DeployRequest } from "../tools/deploy/deploy.ts"

/** bytecode of a program built by the global setup, by its entry (e.g. "test/devs/ticks.ts") */
export function bytecodeOf(entry: string): Uint8Array {
    return fs.readFileSync(bytecodePath(programName(entry)))
}

/**
 * `--param target=ideal`, for the tests that check what a program computes, not when, where the target
 * timing model (target=esp32, the default) cannot run it: the joint's firmware current loop at 1 kHz
 * (the modelled ESP32-S3 has too little CPU for it, even with a 1 ms tick: README), the foot at 1 kHz
 * sampling, and the protocol tests against served boards (deploy, bench over TCP). Each use says why.
 */
export const IDEAL = "target=ideal"
export { IDEAL_TARGET } from "../sim/vm/target-model.ts"

/** the DeployError a deploy fails with; fails the test when the deploy succeeds or fails otherwise */
export async function refusal(req: DeployRequest): Promise<DeployError> {
    try {
        await deploy(req)
    } catch (e) {
        if (e instanceof DeployError) return e
        throw e
    }
    throw new Error("the deploy was not refused")
}

/** `actual` within `tol` of `expected`; a failure prints all three */
export function expectNear(actual: number, expected: number, tol: number, what = "value") {
    expect(Math.abs(actual - expected), `${what} ${actual}, expected ${expected} ± ${tol}`).toBeLessThanOrEqual(tol)
}
