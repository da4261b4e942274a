// Runs the DeviceScript compiler (the pinned @devicescript/cli) on one entry point and copies the
// bytecode out. The compiler writes to a fixed folder under its working directory (.devicescript/bin;
// its --out-dir flag takes no value in 2.16.4), so each compile runs in a workspace of its own: a
// temporary folder of links to the repository's top-level entries, with git pointed at the repository
// itself (the compiler embeds `git describe` and whether the tree is modified). Its bytecode and debug
// information are byte for byte those of a compile in the repository, and compiles can run side by side.
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { createRequire } from "node:module"
import { REPO_ROOT } from "../sim/firmware.ts"
import { writeFileAtomic } from "../sim/files.ts"

const require = createRequire(import.meta.url)
const CLI = require.resolve("@devicescript/cli/built/devicescript-cli.cjs")

export interface CompileResult {
    ok: boolean
    bytes: number
    /** compiler diagnostics (file(line,col): error ...) when !ok */
    diagnostics: string
}

/** a temporary folder that reads as the repository: a link to each of its top-level entries */
function makeWorkspace(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-devs-"))
    for (const name of fs.readdirSync(REPO_ROOT))
        if (name !== ".devicescript") fs.symlinkSync(path.join(REPO_ROOT, name), path.join(dir, name))
    return dir
}

/** the compiler run in `cwd`, its exit status and output */
function runCompiler(entry: string, cwd: string): Promise<{ status: number | null; output: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, "build", entry, "--no-colors"], {
            cwd,
            env: { ...process.env, NO_COLOR: "1", GIT_DIR: path.join(REPO_ROOT, ".git"), GIT_WORK_TREE: REPO_ROOT },
        })
        let output = ""
        child.stdout.on("data", d => (output += d))
        child.stderr.on("data", d => (output += d))
        child.on("error", reject)
        child.on("close", status => resolve({ status, output }))
    })
}

/** Compile `entry` (relative to the repo root) and write the bytecode to `outFile` atomically. */
export async function compileDevs(entry: string, outFile: string): Promise<CompileResult> {
    const workspace = makeWorkspace()
    try {
        // (a file in the repository by the same path in the workspace; one outside it from the workspace)
        const abs = path.resolve(REPO_ROOT, entry)
        const inRepo = path.relative(REPO_ROOT, abs)
        const r = await runCompiler(inRepo.startsWith("..") ? path.relative(workspace, abs) : inRepo, workspace)
        const diagnostics = r.output
            .split("\n")
            .filter(l => l.trim() && !l.startsWith("using devs:") && !l.startsWith("fatal: "))
            .join("\n")
        if (r.status !== 0) return { ok: false, bytes: 0, diagnostics: diagnostics || `compiler exited with ${r.status}` }
        const compilerOut = path.join(workspace, ".devicescript", "bin")
        const bytecode = fs.readFileSync(path.join(compilerOut, "bytecode.devs"))
        writeFileAtomic(outFile, bytecode)
        writeFileAtomic(outFile.replace(/\.devs$/, "-dbg.json"), fs.readFileSync(path.join(compilerOut, "bytecode-dbg.json")))
        return { ok: true, bytes: bytecode.length, diagnostics: "" }
    } finally {
        fs.rmSync(workspace, { recursive: true, force: true })
    }
}
