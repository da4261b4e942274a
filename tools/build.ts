// `hfw build`: compile each board's program, report its size against its budget.
import { BOARD_PROGRAMS, boardProgram, bytecodePath, devsUnitTests, programName, testFixtures, type BoardProgram } from "../sim/firmware.ts"
import { compileDevs } from "./compile.ts"

export interface BoardBuild {
    board: string
    bytes: number
    budgetBytes: number
    ok: boolean
    error?: string
}

export function buildBoards(which: string, onProgress?: (line: string) => void): { ok: boolean; boards: BoardBuild[] } {
    const programs: readonly BoardProgram[] = which === "all" ? BOARD_PROGRAMS : [boardProgram(which)]
    const boards = programs.map((p): BoardBuild => {
        onProgress?.(`compiling ${p.entry} ...`)
        const r = compileDevs(p.entry, bytecodePath(p.board))
        if (!r.ok) return { board: p.board, bytes: 0, budgetBytes: p.budgetBytes, ok: false, error: r.diagnostics }
        const ok = r.bytes <= p.budgetBytes
        const error = ok ? undefined : `${p.board} program is ${r.bytes} bytes, over its budget of ${p.budgetBytes} bytes`
        return { board: p.board, bytes: r.bytes, budgetBytes: p.budgetBytes, ok, error }
    })
    return { ok: boards.every(b => b.ok), boards }
}

export function formatBuildTable(boards: BoardBuild[]): string {
    const rows = boards.map(b => {
        const pct = b.ok || b.bytes ? ((100 * b.bytes) / b.budgetBytes).toFixed(0) + " %" : "-"
        return `${b.board.padEnd(6)} ${String(b.bytes).padStart(7)} ${String(b.budgetBytes).padStart(7)} ${pct.padStart(6)}  ${b.ok ? "ok" : "FAIL"}`
    })
    return ["board    bytes  budget   used", ...rows].join("\n")
}

/** Compiles the DeviceScript unit tests and the simulator test fixtures; throws on the first failure. */
export function buildTestPrograms(): string[] {
    const entries = [...devsUnitTests(), ...testFixtures()]
    for (const entry of entries) {
        const r = compileDevs(entry, bytecodePath(programName(entry)))
        if (!r.ok) throw new Error(`${entry} does not compile:\n${r.diagnostics}`)
    }
    return entries
}
