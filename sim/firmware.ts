// Where each board's program lives, where its bytecode goes, and its size budget.
// One table, read by `hfw build`, the simulator and the tests.
import fs from "node:fs"
import path from "node:path"
import { UsageError } from "./errors.ts"
import { fileURLToPath } from "node:url"

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
export const BUILD_DIR = path.join(REPO_ROOT, "build")

export interface BoardProgram {
    board: string
    /** entry point, relative to the repository root */
    entry: string
    /** bytecode budget (targets.md: joint 24 KB, foot 16 KB) */
    budgetBytes: number
}

export const BOARD_PROGRAMS: readonly BoardProgram[] = [
    { board: "joint", entry: "devs/joint/main.ts", budgetBytes: 24 * 1024 },
    { board: "foot", entry: "devs/foot/main.ts", budgetBytes: 16 * 1024 },
    // the co-simulator's smallest closed loop (scenario servo-demo)
    { board: "demo", entry: "devs/demo/main.ts", budgetBytes: 16 * 1024 },
]

export const BOARD_NAMES = BOARD_PROGRAMS.map(b => b.board)

export function boardProgram(board: string): BoardProgram {
    const p = BOARD_PROGRAMS.find(b => b.board === board)
    if (!p) throw new UsageError(`unknown board '${board}'; accepted: ${BOARD_NAMES.join(", ")}`)
    return p
}

/** Path of the compiled bytecode of a program, e.g. build/joint/joint.devs. */
export function bytecodePath(name: string): string {
    return path.join(BUILD_DIR, name, `${path.basename(name)}.devs`)
}

/** DeviceScript unit tests (devs/**\/*.test.ts, drivers/**\/*.test.ts), relative to the repository root */
export function devsUnitTests(): string[] {
    const isTest = (f: string) => f.endsWith(".test.ts")
    return [...listTs(path.join(REPO_ROOT, "devs"), isTest), ...listTs(path.join(REPO_ROOT, "drivers"), isTest)]
}

/** programs the host tests run in the simulator (test/devs/*.ts) */
export function testFixtures(): string[] {
    return listTs(path.join(REPO_ROOT, "test", "devs"), f => f.endsWith(".ts"))
}

/** build name of a program given by its entry, e.g. "devs/lib/math.test.ts" -> "devs/lib/math.test" */
export const programName = (entry: string) => entry.replace(/\.ts$/, "")

function listTs(dir: string, keep: (f: string) => boolean): string[] {
    if (!fs.existsSync(dir)) return []
    return fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter(keep)
        .map(f => path.relative(REPO_ROOT, path.join(dir, f)))
        .sort()
}
