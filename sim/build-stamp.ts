// What a program's bytecode was compiled from: the stamp `hfw build` writes beside it
// (build/joint/joint.stamp.json, tools/build-cache.ts), read here too, so that whatever runs a built
// program (a simulation, a served board, a deploy) can say when its sources changed since: it runs the
// program as built, not the sources as they are.
import { createHash } from "node:crypto"
import fs from "node:fs"
import path from "node:path"
import { BOARD_PROGRAMS, REPO_ROOT, bytecodePath } from "./firmware.ts"

export interface BuildStamp {
    entry: string
    /** the hash of everything the compile read (tools/build-cache.ts) */
    inputsSha256: string
    /** each source file the compile read, relative to the repository root, with the SHA-256 of the text compiled */
    sources: Record<string, string>
    bytecodeSha256: string
}

export const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex")

export const stampPath = (outFile: string) => outFile.replace(/\.devs$/, ".stamp.json")
export const debugInfoPath = (outFile: string) => outFile.replace(/\.devs$/, "-dbg.json")

/** the SHA-256 of a file of the repository now ("missing" when it is not there) */
export function fileSha256(rel: string): string {
    const file = path.join(REPO_ROOT, rel)
    return fs.existsSync(file) && fs.statSync(file).isFile() ? sha256(fs.readFileSync(file)) : "missing"
}

/** the stamp of `outFile` and its bytecode as stamped; undefined when either is missing or they differ (not this build's) */
export function readStamp(outFile: string): BuildStamp | undefined {
    try {
        const stamp = JSON.parse(fs.readFileSync(stampPath(outFile), "utf8")) as BuildStamp
        // (a stamp of an older format, with the sources' names only)
        if (typeof stamp.sources !== "object" || Array.isArray(stamp.sources)) return undefined
        if (sha256(fs.readFileSync(outFile)) !== stamp.bytecodeSha256) return undefined
        return stamp
    } catch {
        return undefined
    }
}

/** the source files of `outFile`'s program whose content differs now from the text compiled (none when it has no stamp) */
export function changedSources(outFile: string, hashOf: (rel: string) => string = fileSha256): string[] {
    const stamp = readStamp(outFile)
    if (!stamp) return []
    return Object.entries(stamp.sources)
        .filter(([file, hash]) => hashOf(file) !== hash)
        .map(([file]) => file)
}

export interface StaleBuild {
    board: string
    /** the bytecode, relative to the repository root */
    bytecode: string
    /** its sources changed since it was compiled */
    changed: string[]
}

/** the board programs built from sources that have changed since (a program never built is not stale: it is missing) */
export function staleBuilds(boards: readonly string[] = BOARD_PROGRAMS.map(p => p.board)): StaleBuild[] {
    // (the programs share most of their sources: the DeviceScript packages')
    const hashes = new Map<string, string>()
    const hashOf = (rel: string) => hashes.get(rel) ?? hashes.set(rel, fileSha256(rel)).get(rel)!
    return boards
        .map(board => ({ board, bytecode: path.relative(REPO_ROOT, bytecodePath(board)), changed: changedSources(bytecodePath(board), hashOf) }))
        .filter(s => s.changed.length > 0)
}

/** what to tell a user before running a stale program, with the command that rebuilds it */
export function staleBuildWarning(s: StaleBuild): string {
    const more = s.changed.length > 1 ? ` and ${s.changed.length - 1} more` : ""
    return `warning: ${s.bytecode} was compiled before ${s.changed[0]}${more} changed: what runs is the program as built, not the sources as they are (hfw build compiles them)`
}
