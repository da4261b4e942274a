// Whether a program's bytecode is up to date. A stamp beside it (build/joint/joint.stamp.json, its
// format in sim/build-stamp.ts) holds the hash of each source file compiled, and the hash of everything
// its compile read: the source files the compiler lists in its debug info
// (ours and the DeviceScript packages'), every board and service file, devsconfig.json, package.json,
// the pinned compiler itself, and the version the compiler embeds (package.json's version, `git
// describe`, whether tracked files are modified). Any change to one of them, a missing stamp or a
// bytecode file that is not the one stamped compiles again.
import { spawnSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { createRequire } from "node:module"
import { REPO_ROOT } from "../sim/firmware.ts"
import { writeFileAtomic } from "../sim/files.ts"
import { debugInfoPath, fileSha256, readStamp, sha256, stampPath, type BuildStamp } from "../sim/build-stamp.ts"

const require = createRequire(import.meta.url)
/** the compiler: its bundle (which also carries the VM's bytecode format) */
const COMPILER_FILE = require.resolve("@devicescript/cli/built/devicescript-cli.cjs")
/** read by every compile, whatever the entry */
const CONFIG_DIRS = ["boards", "services"]
const CONFIG_FILES = ["devsconfig.json", "package.json"]

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

/** `sources`: each source file with the hash of its content */
function inputsSha256(entry: string, sources: [string, string][]): string {
    return sha256(JSON.stringify({ entry, shared: sharedInputs(), sources }))
}

/** true when `outFile` was compiled from `entry` and nothing it was compiled from has changed since */
export function isUpToDate(entry: string, outFile: string): boolean {
    // (no stamp, no bytecode, or not the bytecode stamped)
    const stamp = readStamp(outFile)
    if (!stamp || stamp.entry !== entry || !fs.existsSync(debugInfoPath(outFile))) return false
    const sources = Object.keys(stamp.sources).map((f): [string, string] => [f, fileSha256(f)])
    return inputsSha256(entry, sources) === stamp.inputsSha256
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
        sources: Object.fromEntries(sources),
        bytecodeSha256: sha256(fs.readFileSync(outFile)),
    }
    writeFileAtomic(stampPath(outFile), JSON.stringify(stamp, null, 2) + "\n")
}
