// `hfw sim run FILE.ts`: any DeviceScript program on a simulated board of one of our kinds, under the
// target timing model (the board's chip, the runtime's tick and wakes, the CPU cost of every run), in
// virtual time: what DeviceScript's `devs run` does, for our boards. The board has no bus and no
// plant: what the program logs and what the chip spent on it are the results.
import fs from "node:fs"
import path from "node:path"
import { UsageError } from "../sim/errors.ts"
import { BUILD_DIR, REPO_ROOT, chipOf } from "../sim/firmware.ts"
import { COMMON_PARAMS, resolveParams, TARGET_PARAMS, targetOf, type ParamValues } from "../sim/params.ts"
import { Simulation } from "../sim/simulation.ts"
import type { VmPanic } from "../sim/vm/board-vm.ts"
import type { CpuSummary } from "../sim/vm/cpu-stats.ts"
import { PROFILE_ROWS_KEPT, type FunctionWork } from "../sim/vm/op-profile.ts"
import { compileDevs } from "./compile.ts"

export const PROGRAM_BOARDS = ["joint", "foot"] as const

export interface ProgramRunOptions {
    /** the program's entry, a path from the current directory */
    file: string
    board: string
    durationS: number
    params?: readonly string[]
    /** each console line as the program logs it, with the board time in µs */
    onLog?: (tUs: number, line: string) => void
}

export interface ProgramRunResult {
    file: string
    board: string
    bytes: number
    simSeconds: number
    wallSeconds: number
    realTimeFactor: number
    panics: number
    panicDetails: VmPanic[]
    /** what the program logged, one string per line */
    console: string[]
    cpu: CpuSummary
    /** with `--param vm.profile=on`: the board's counted work by the program's functions, the most first */
    vmProfile?: FunctionWork[]
    params: ParamValues
}

/** the target's parameters, and the profile of the program's functions */
const RUN_PARAMS = { ...TARGET_PARAMS, "vm.profile": COMMON_PARAMS["vm.profile"] }

export async function runProgram(o: ProgramRunOptions): Promise<ProgramRunResult> {
    if (!(PROGRAM_BOARDS as readonly string[]).includes(o.board))
        throw new UsageError(`--board '${o.board}' is not accepted; one of ${PROGRAM_BOARDS.join(", ")}`)
    const params = resolveParams(RUN_PARAMS, o.params ?? [])
    const abs = path.resolve(o.file)
    if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) throw new UsageError(`${o.file}: no such DeviceScript file`)
    const out = path.join(BUILD_DIR, "run", `${path.basename(abs, ".ts")}.devs`)
    const compiled = await compileDevs(path.relative(REPO_ROOT, abs), out)
    if (!compiled.ok) throw new UsageError(`${o.file} does not compile:\n${compiled.diagnostics}`)

    const opProfile = params["vm.profile"] === "on"
    const sim = new Simulation({ seed: 1, target: targetOf(params), opProfile })
    try {
        const vm = await sim.addBoard({ name: o.board, chip: chipOf(o.board), bytecode: fs.readFileSync(out), segments: [] })
        let logged = 0
        const report = () => {
            for (; logged < sim.logs.length; logged++) o.onLog?.(sim.logs[logged].tUs, sim.logs[logged].line)
        }
        const wall0 = performance.now()
        await sim.run(o.durationS, () => report())
        const wallSeconds = (performance.now() - wall0) / 1000
        report()
        return {
            file: o.file,
            board: o.board,
            bytes: compiled.bytes,
            simSeconds: o.durationS,
            wallSeconds: Number(wallSeconds.toFixed(3)),
            realTimeFactor: Number((o.durationS / wallSeconds).toFixed(1)),
            panics: sim.panics.length,
            panicDetails: sim.panics,
            console: sim.logs.map(l => l.line),
            cpu: sim.cpuSummaries()[sim.boards.indexOf(vm)],
            ...(opProfile ? { vmProfile: sim.profileCounts(PROFILE_ROWS_KEPT)[o.board] } : {}),
            params,
        }
    } finally {
        await sim.stop()
    }
}
