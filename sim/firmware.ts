// Where each board's program lives, where its bytecode goes, and its size budget.
// One table, read by `hfw build`, the simulator and the tests.
import { createHash } from "node:crypto"
import fs from "node:fs"
import path from "node:path"
import { CommandError, UsageError } from "./errors.ts"
import { fileURLToPath } from "node:url"
import { CHIP_IDS, type ChipId } from "./vm/chips.ts"

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
export const BUILD_DIR = path.join(REPO_ROOT, "build")

export interface BoardProgram {
    board: string
    /** entry point, relative to the repository root */
    entry: string
    /**
     * bytecode budget (design/targets.md: joint 64 KB, foot 48 KB; the ESP32 runtime takes a program of
     * about 220 KB in its 256 KB fstor partition, the RP2040 build about 110 KB)
     */
    budgetBytes: number
    /** the board configuration it runs on, relative to the repository root */
    boardConfig: string
}

export const BOARD_PROGRAMS: readonly BoardProgram[] = [
    { board: "joint", entry: "devs/joint/main.ts", budgetBytes: 64 * 1024, boardConfig: "boards/humanoid_joint.board.json" },
    { board: "foot", entry: "devs/foot/main.ts", budgetBytes: 48 * 1024, boardConfig: "boards/humanoid_foot.board.json" },
    // the co-simulator's smallest closed loop (scenario servo-demo), on a joint board
    { board: "demo", entry: "devs/demo/main.ts", budgetBytes: 16 * 1024, boardConfig: "boards/humanoid_joint.board.json" },
    // the CPU calibration (hfw bench cpu), deployed to any board
    { board: "cpucal", entry: "devs/cpucal/main.ts", budgetBytes: 16 * 1024, boardConfig: "boards/humanoid_joint.board.json" },
]

/** The microcontroller a board program runs on: its board configuration's archId. */
export function chipOf(board: string): ChipId {
    const file = path.join(REPO_ROOT, boardProgram(board).boardConfig)
    const archId = JSON.parse(fs.readFileSync(file, "utf8")).archId
    if (!CHIP_IDS.includes(archId))
        throw new Error(`${file}: archId '${archId}' has no entry in the simulator's chip table (sim/vm/chips.ts: ${CHIP_IDS.join(", ")})`)
    return archId
}

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

/** The built bytecode of a board's program; a CommandError saying to build first when it is not there. */
export function readBytecode(board: string): Buffer {
    const file = bytecodePath(board)
    if (!fs.existsSync(file)) throw new CommandError(`${path.relative(REPO_ROOT, file)} is not there: run hfw build first (npx hfw build)`)
    return fs.readFileSync(file)
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

/**
 * Which build of each board's program the runs here load: the first 16 hex digits of its bytecode's
 * SHA-256, null when it is not built. (The bytecode embeds the commit, so traces differ between builds.)
 */
export function bytecodeDigests(): Record<string, string | null> {
    return Object.fromEntries(
        BOARD_NAMES.map(board => {
            const file = bytecodePath(board)
            return [board, fs.existsSync(file) ? createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 16) : null]
        })
    )
}
