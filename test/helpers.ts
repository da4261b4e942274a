import fs from "node:fs"
import { bytecodePath, programName } from "../sim/firmware.ts"
import { DeployError, deploy, type DeployRequest } from "../tools/deploy/deploy.ts"

/** bytecode of a program built by the global setup, by its entry (e.g. "test/devs/ticks.ts") */
export function bytecodeOf(entry: string): Uint8Array {
    return fs.readFileSync(bytecodePath(programName(entry)))
}

/**
 * `--param target=ideal`, for tests of control laws, detection logic and protocols. With the target
 * timing model on (target=esp32, the default) the joint and foot programs as they stand miss their
 * periods on the modelled ESP32: fitting them is the work of the joint and foot issues (14, 15), and
 * these tests check what the programs compute, not when.
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
