// `hfw build`: compile each board's program, report its size against its budget.
import fs from "node:fs"
import os from "node:os"
import { BOARD_NAMES, BOARD_PROGRAMS, boardProgram, bytecodePath, programName, testFixtures, type BoardProgram } from "../sim/firmware.ts"
import { compileDevs, type CompileResult } from "./compile.ts"
import { isUpToDate, removeStamp, writeStamp } from "./build-cache.ts"

export const BUILD_USAGE = `hfw build [--board ${[...BOARD_NAMES, "all"].join("|")}] [--json]`

export interface BoardBuild {
    board: string
    bytes: number
    budgetBytes: number
    ok: boolean
    /** not compiled: nothing it is built from changed since the last build */
    upToDate: boolean
    error?: string
}

/** Compiles the programs `which` names (or all), side by side, one a core. */
export async function buildBoards(which: string, onProgress?: (line: string) => void): Promise<{ ok: boolean; boards: BoardBuild[] }> {
    const programs: readonly BoardProgram[] = which === "all" ? BOARD_PROGRAMS : [boardProgram(which)]
    const boards = await eachInParallel(programs, async (p): Promise<BoardBuild> => {
        const r = await buildProgram(p.entry, bytecodePath(p.board), onProgress)
        if (!r.ok) return { board: p.board, bytes: 0, budgetBytes: p.budgetBytes, ok: false, upToDate: false, error: r.diagnostics }
        const ok = r.bytes <= p.budgetBytes
        const error = ok ? undefined : `${p.board} program is ${r.bytes} bytes, over its budget of ${p.budgetBytes} bytes`
        return { board: p.board, bytes: r.bytes, budgetBytes: p.budgetBytes, ok, upToDate: r.upToDate, error }
    })
    return { ok: boards.every(b => b.ok), boards }
}

export function formatBuildTable(boards: BoardBuild[]): string {
    const rows = boards.map(b => {
        const pct = b.ok || b.bytes ? ((100 * b.bytes) / b.budgetBytes).toFixed(0) + " %" : "-"
        return `${b.board.padEnd(6)} ${String(b.bytes).padStart(7)} ${String(b.budgetBytes).padStart(7)} ${pct.padStart(6)}  ${b.ok ? "ok" : "FAIL"}${b.upToDate ? " (up to date)" : ""}`
    })
    return ["board    bytes  budget   used", ...rows].join("\n")
}

/** Compiles `entry` into `outFile` unless it is up to date (tools/build-cache.ts). */
export async function buildProgram(entry: string, outFile: string, onProgress?: (line: string) => void): Promise<CompileResult & { upToDate: boolean }> {
    if (isUpToDate(entry, outFile)) {
        onProgress?.(`${entry}: up to date`)
        return { ok: true, bytes: fs.statSync(outFile).size, diagnostics: "", upToDate: true }
    }
    onProgress?.(`compiling ${entry} ...`)
    removeStamp(outFile)
    const r = await compileDevs(entry, outFile)
    if (r.ok) writeStamp(entry, outFile)
    return { ...r, upToDate: false }
}

/** Compiles each entry into its build folder unless it is up to date, side by side; the results in the entries' order. */
export function buildPrograms(entries: readonly string[]): Promise<(CompileResult & { upToDate: boolean })[]> {
    return eachInParallel(entries, entry => buildProgram(entry, bytecodePath(programName(entry))))
}

/** Compiles the simulator's test fixtures (test/devs/*.ts); throws on the first that fails. */
export async function buildTestFixtures(): Promise<string[]> {
    const entries = testFixtures()
    const results = await buildPrograms(entries)
    const failed = results.findIndex(r => !r.ok)
    if (failed >= 0) throw new Error(`${entries[failed]} does not compile:\n${results[failed].diagnostics}`)
    return entries
}

/**
 * `work` on each item, as many at a time as the machine has cores (each compile is a process of its
 * own, mostly one core's work); the results in the items' order
 */
async function eachInParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = []
    let next = 0
    const lane = async () => {
        while (next < items.length) {
            const i = next++
            results[i] = await work(items[i])
        }
    }
    await Promise.all(Array.from({ length: Math.min(os.availableParallelism(), items.length) }, lane))
    return results
}
