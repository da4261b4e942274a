// `hfw bench cpu`: measures a board's time per counted unit of VM work, for the simulator's chip table
// (sim/vm/chips.ts). The calibration program (devs/cpucal) times two kinds of known work, integer and
// double-precision, with the board's own millisecond clock. The work each kind does is counted on a
// simulated board (the same bytecode, counted as the target model counts it), so the two timings
// give the chip's two costs: cycles per counted WebAssembly instruction and per soft-float
// operation, at the clock the board runs at.
//
// --target sim runs it on a simulated board under the target model (it gives back the table's own
// figures, to within the millisecond clock's resolution); tcp:HOST:PORT deploys it to a real board
// (through `devs devtools`, or `hfw sim serve`) and reads the result from its settings. The board is
// left running the calibration program: deploy its own program again afterwards.
import { JDBus } from "jacdac-ts"
import { UsageError } from "../../sim/errors.ts"
import { readBytecode, chipOf } from "../../sim/firmware.ts"
import { TcpFrameTransport } from "../../sim/net/tcp-transport.ts"
import { resolveParams, TARGET_PARAMS, targetOf, type ParamValues } from "../../sim/params.ts"
import { Simulation } from "../../sim/simulation.ts"
import { countedSince } from "../../sim/vm/counting.ts"
import { TargetModel } from "../../sim/vm/target-model.ts"
import {
    FIND_WAIT_MS,
    deleteSetting,
    findDeviceScriptBoards,
    managerOf,
    readSetting,
    settingsOf,
    startProgram,
    stopProgram,
    waitFor,
    writeProgram,
} from "../deploy/board-link.ts"
import { parseTarget } from "./targets.ts"
import { round } from "../../sim/numbers.ts"

const SETTING = "cpucal"
const KINDS = ["integer", "double"] as const
type Kind = (typeof KINDS)[number]
/** the program sleeps 200 ms, then runs its rounds (~0.3 s each on the modelled chips) */
const BOARD_TIMEOUT_MS = 30_000

/** what the program reports (devs/cpucal/main.ts) */
interface Timings {
    iterations: number
    rounds: number
    integerMs: number[]
    doubleMs: number[]
}

/** the work of one timing, as the simulator counts it */
export interface KindWork {
    instructions: number
    f64Ops: number
}

export interface CpuCalibration {
    target: string
    board: string
    chip: string
    /** the clock the board is taken to run at (cpu.clockMHz, else the chip table's) */
    clockMHz: number
    iterations: number
    work: Record<Kind, KindWork>
    /** the board's times, every round, and their medians */
    timingsMs: Record<Kind, number[]>
    medianMs: Record<Kind, number>
    /** solved from the two medians */
    measured: { cyclesPerInstruction: number; cyclesPerF64Op: number }
    /** the chip table's figures, and what they predict for the two timings */
    table: { cyclesPerInstruction: number; cyclesPerF64Op: number; predictedMs: Record<Kind, number> }
    /** measured time over the table's prediction: the cpu.scale that fits this board, by kind */
    scale: Record<Kind, number>
    params: ParamValues
}

export async function calibrateCpu(o: { target: string; board: string; params: readonly string[]; log: (line: string) => void }): Promise<CpuCalibration> {
    if (o.board !== "joint" && o.board !== "foot") throw new UsageError(`--board '${o.board}' is not accepted; one of joint, foot`)
    const target = parseTarget(o.target)
    if (target.kind === "serial") throw new UsageError("hfw bench cpu takes --target sim or tcp:HOST:PORT (a serial board: bridge it with `devs devtools --serial`)")
    const params = resolveParams(TARGET_PARAMS, o.params)
    const chipId = chipOf(o.board)
    // the chip and its clock as the target model takes them (cpu.clockMHz, capped at the chip's maximum)
    const { chip, clockMHz } = new TargetModel(chipId, targetOf(params))

    const bytecode = readBytecode("cpucal")

    o.log(`counting the calibration work on a simulated ${chip.name} ...`)
    const work = await countWork(bytecode, chipId)
    let timings: Timings
    if (target.kind === "sim") {
        o.log(`timing it on a simulated ${o.board} board (target=${params.target}) ...`)
        timings = await timeOnSimulatedBoard(bytecode, chipId, params)
    } else {
        o.log(`deploying the calibration program to tcp:${target.host}:${target.port} and timing it there ...`)
        timings = await timeOnBoard(bytecode, target.host, target.port, o.log)
    }

    const medianMs = { integer: median(timings.integerMs), double: median(timings.doubleMs) }
    const cycles = (k: Kind) => medianMs[k] * 1000 * clockMHz
    // cycles = instructions * a + f64Ops * b, for both kinds
    const [wi, wd] = [work.integer, work.double]
    const det = wi.instructions * wd.f64Ops - wd.instructions * wi.f64Ops
    if (det === 0) throw new Error("the two kinds of calibration work were counted alike: the two costs cannot be told apart")
    const a = (cycles("integer") * wd.f64Ops - cycles("double") * wi.f64Ops) / det
    const b = (wi.instructions * cycles("double") - wd.instructions * cycles("integer")) / det
    const predictedMs = (k: Kind) => (work[k].instructions * chip.cyclesPerInstruction + work[k].f64Ops * chip.cyclesPerF64Op) / clockMHz / 1000
    return {
        target: o.target,
        board: o.board,
        chip: chip.name,
        clockMHz,
        iterations: timings.iterations,
        work,
        timingsMs: { integer: timings.integerMs, double: timings.doubleMs },
        medianMs,
        measured: { cyclesPerInstruction: round(a, 3), cyclesPerF64Op: round(b, 1) },
        table: {
            cyclesPerInstruction: chip.cyclesPerInstruction,
            cyclesPerF64Op: chip.cyclesPerF64Op,
            predictedMs: { integer: round(predictedMs("integer"), 2), double: round(predictedMs("double"), 2) },
        },
        scale: { integer: round(medianMs.integer / predictedMs("integer"), 3), double: round(medianMs.double / predictedMs("double"), 3) },
        params,
    }
}

/** The counted work between the program's hardware-link marks, by kind (the second round's: warmed up). */
async function countWork(bytecode: Uint8Array, chipId: ReturnType<typeof chipOf>): Promise<Record<Kind, KindWork>> {
    const sim = new Simulation({ seed: 1, target: { target: "ideal", tickUs: 10_000, cpuScale: 1 } })
    const work: Partial<Record<Kind, KindWork>> = {}
    const seen: Record<Kind, number> = { integer: 0, double: 0 }
    let open: { kind: Kind; instructions: number; f64Ops: number } | undefined
    const vm = await sim.addBoard({
        name: "cpucal-count",
        chip: chipId,
        bytecode,
        segments: [],
        onTwin: topic => {
            const c = vm.counters
            if (topic === "cpucal/end" && open && ++seen[open.kind] === 2)
                work[open.kind] = { instructions: countedSince(open.instructions, c.work()), f64Ops: countedSince(open.f64Ops, c.f64Ops()) }
            const kind = topic.slice("cpucal/".length) as Kind
            open = KINDS.includes(kind) ? { kind, instructions: c.work(), f64Ops: c.f64Ops() } : undefined
        },
    })
    while (!(work.integer && work.double) && sim.clock.nowUs < 5e6 && !sim.panics.length) await sim.run(0.1)
    await sim.stop()
    if (!work.integer || !work.double) throw new Error(`the calibration program did not run its work on the simulated board${sim.panics[0] ? `: ${sim.panics[0].message}` : ""}`)
    return work as Record<Kind, KindWork>
}

/** The program's own timings on a simulated board under `params`' target model. */
async function timeOnSimulatedBoard(bytecode: Uint8Array, chipId: ReturnType<typeof chipOf>, params: ParamValues): Promise<Timings> {
    const sim = new Simulation({ seed: 1, target: targetOf(params) })
    await sim.addBoard({ name: "cpucal", chip: chipId, bytecode, segments: [] })
    let last: Timings | undefined
    while (sim.clock.nowUs < 60e6 && !sim.panics.length) {
        await sim.run(0.5)
        const line = sim.logs.filter(l => l.line.startsWith(`${SETTING} `)).pop()
        last = line ? (JSON.parse(line.line.slice(SETTING.length + 1)) as Timings) : undefined
        if (last && last.integerMs.length === last.rounds) break
    }
    await sim.stop()
    if (sim.panics.length) throw new Error(`the simulated board panicked: ${sim.panics[0].message}`)
    if (!last || last.integerMs.length < last.rounds) throw new Error("the calibration program did not finish on the simulated board")
    return last
}

/** Deploys the program to the one DeviceScript board on HOST:PORT and reads its timings back. */
async function timeOnBoard(bytecode: Uint8Array, host: string, port: number, log: (line: string) => void): Promise<Timings> {
    const bus = new JDBus([new TcpFrameTransport(host, port)], { client: false, disableRoleManager: true })
    try {
        await bus.connect()
        if (!bus.connected) throw new Error(`cannot connect to tcp:${host}:${port}`)
        const boards = await findDeviceScriptBoards(bus, FIND_WAIT_MS)
        if (boards.length !== 1)
            throw new Error(`${boards.length ? boards.length : "no"} DeviceScript board(s) answered on tcp:${host}:${port}; connect to one board`)
        const manager = managerOf(boards[0])
        const settings = settingsOf(boards[0])
        await stopProgram(manager)
        // an earlier calibration's result must not be read as this one's
        await deleteSetting(settings, SETTING)
        await writeProgram(manager, bytecode)
        await startProgram(manager)
        log(`  board ${boards[0].deviceId} runs the calibration program (deploy its own program again afterwards)`)
        let last: Timings | undefined
        await waitFor(
            "the calibration to finish",
            async () => {
                const raw = await readSetting(settings, SETTING)
                last = raw ? (JSON.parse(raw) as Timings) : undefined
                return !!last && last.integerMs.length === last.rounds
            },
            BOARD_TIMEOUT_MS
        )
        return last!
    } finally {
        await bus.stop()
    }
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
