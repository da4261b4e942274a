// Whether a program's bytecode is up to date. A stamp beside it (build/joint/joint.stamp.json) holds
// the hash of everything its compile read: the source files the compiler lists in its debug info
// (ours and the DeviceScript packages'), every board and service file, devsconfig.json, package.json,
// the pinned compiler itself, and the version the compiler embeds (package.json's version, `git
// describe`, whether tracked files are modified). Any change to one of them, a missing stamp or a
// bytecode file that is not the one stamped compiles again.
import { createHash } from "node:crypto"
import { spawnSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { createRequire } from "node:module"
import { REPO_ROOT } from "../sim/firmware.ts"
import { writeFileAtomic } from "../sim/files.ts"

const require = createRequire(import.meta.url)
/** the compiler: its bundle (which also carries the VM's bytecode format) */
const COMPILER_FILE = require.resolve("@devicescript/cli/built/devicescript-cli.cjs")
/** read by every compile, whatever the entry */
const CONFIG_DIRS = ["boards", "services"]
const CONFIG_FILES = ["devsconfig.json", "package.json"]

interface BuildStamp {
    entry: string
    inputsSha256: string
    /** the source files the compile read, relative to the repository root */
    sources: string[]
    bytecodeSha256: string
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex")

export const stampPath = (outFile: string) => outFile.replace(/\.devs$/, ".stamp.json")
export const debugInfoPath = (outFile: string) => outFile.replace(/\.devs$/, "-dbg.json")

let shared: string | undefined
/** what every compile in this process reads besides its sources (hashed once: the compiler is 28 MB) */
function sharedInputs(): string {
    if (shared !== undefined) return shared
    const git = (...args: string[]) => {
        const r = spawnSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" })
        return r.status === 0 ? r.stdout.trim() : ""
    }
    const configFiles = [
        ...CONFIG_FILES,
        ...CONFIG_DIRS.flatMap(d => fs.readdirSync(path.join(REPO_ROOT, d)).map(f => path.join(d, f))),
    ].sort()
    shared = JSON.stringify({
        compiler: sha256(fs.readFileSync(COMPILER_FILE)),
        // what the compiler embeds as the program's version (compilePackageJson in its bundle)
        gitDescribe: git("describe", "--tags", "--match", "v[0-9]*", "--always"),
        trackedFilesModified: git("status", "--porcelain", "--untracked-files=no", "--ignore-submodules=untracked") !== "",
        config: configFiles.map(f => [f, fileSha256(f)]),
    })
    return shared
}

function fileSha256(rel: string): string {
    const file = path.join(REPO_ROOT, rel)
    return fs.existsSync(file) && fs.statSync(file).isFile() ? sha256(fs.readFileSync(file)) : "missing"
}

/** `sources`: each source file with the hash of its content */
function inputsSha256(entry: string, sources: [string, string][]): string {
    return sha256(JSON.stringify({ entry, shared: sharedInputs(), sources }))
}

/** true when `outFile` was compiled from `entry` and nothing it was compiled from has changed since */
export function isUpToDate(entry: string, outFile: string): boolean {
    let stamp: BuildStamp
    try {
        stamp = JSON.parse(fs.readFileSync(stampPath(outFile), "utf8"))
        if (stamp.entry !== entry || !fs.existsSync(debugInfoPath(outFile))) return false
        if (sha256(fs.readFileSync(outFile)) !== stamp.bytecodeSha256) return false
    } catch {
        return false // no stamp, or no bytecode
    }
    return inputsSha256(entry, stamp.sources.map(f => [f, fileSha256(f)])) === stamp.inputsSha256
}

/** removes the stamp before a compile, so that a compile that fails halfway leaves none */
export function removeStamp(outFile: string) {
    fs.rmSync(stampPath(outFile), { force: true })
}

/**
 * after a successful compile: the stamp of what it read, the sources as its debug info holds them
 * (the text compiled, not the file as it may be by now)
 */
export function writeStamp(entry: string, outFile: string) {
    const debugInfo = JSON.parse(fs.readFileSync(debugInfoPath(outFile), "utf8")) as { sources: { path: string; text: string }[] }
    const sources = debugInfo.sources.map((s): [string, string] => [s.path, sha256(s.text)]).sort((a, b) => a[0].localeCompare(b[0]))
    const stamp: BuildStamp = {
        entry,
        inputsSha256: inputsSha256(entry, sources),
        sources: sources.map(s => s[0]),
        bytecodeSha256: sha256(fs.readFileSync(outFile)),
    }
    writeFileAtomic(stampPath(outFile), JSON.stringify(stamp, null, 2) + "\n")
}
