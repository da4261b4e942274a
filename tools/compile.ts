// Runs the DeviceScript compiler (the pinned @devicescript/cli) on one entry point and copies the
// bytecode out of the compiler's fixed output folder. The CLI's --out-dir flag is broken in 2.16.4
// (it takes no value), so builds run one after the other.
import { spawnSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { createRequire } from "node:module"
import { REPO_ROOT } from "../sim/firmware.ts"
import { writeFileAtomic } from "../sim/files.ts"

const require = createRequire(import.meta.url)
const CLI = require.resolve("@devicescript/cli/built/devicescript-cli.cjs")
const COMPILER_OUT = path.join(REPO_ROOT, ".devicescript", "bin")

export interface CompileResult {
    ok: boolean
    bytes: number
    /** compiler diagnostics (file(line,col): error ...) when !ok */
    diagnostics: string
}

/** Compile `entry` (relative to the repo root) and write the bytecode to `outFile` atomically. */
export function compileDevs(entry: string, outFile: string): CompileResult {
    const r = spawnSync(process.execPath, [CLI, "build", entry, "--no-colors"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
    })
    const diagnostics = [r.stdout, r.stderr]
        .join("\n")
        .split("\n")
        .filter(l => l.trim() && !l.startsWith("using devs:") && !l.startsWith("fatal: "))
        .join("\n")
    if (r.status !== 0) return { ok: false, bytes: 0, diagnostics: diagnostics || `compiler exited with ${r.status}` }
    const bytecode = fs.readFileSync(path.join(COMPILER_OUT, "bytecode.devs"))
    writeFileAtomic(outFile, bytecode)
    writeFileAtomic(outFile.replace(/\.devs$/, "-dbg.json"), fs.readFileSync(path.join(COMPILER_OUT, "bytecode-dbg.json")))
    return { ok: true, bytes: bytecode.length, diagnostics: "" }
}
