import fs from "node:fs"
import { bytecodePath, programName } from "../sim/firmware.ts"

/** bytecode of a program built by the global setup, by its entry (e.g. "test/devs/ticks.ts") */
export function bytecodeOf(entry: string): Uint8Array {
    return fs.readFileSync(bytecodePath(programName(entry)))
}
