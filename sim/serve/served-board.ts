// One simulated board served to other programs over TCP on 127.0.0.1 (`hfw sim serve`): the board's
// VM and plant in a simulation of their own, its body bus served with the development tools' framing,
// so a tool connecting to it sees what it sees of a real board bridged by `devs devtools`. The virtual
// clock is paced to the wall clock (sim/realtime.ts). The board kinds add their board and plant.
// Its power can be pulled (`restart`), as on a bench: it starts again from its flash.
import { CommandError } from "../errors.ts"
import { Simulation } from "../simulation.ts"
import { BOOT_MS, BROWN_OUT_OFF_MS, type BoardVm } from "../vm/board-vm.ts"
import type { TargetOptions } from "../vm/target-model.ts"
import type { BusSegment } from "../bus/segment.ts"
import { paceToWallClock, type Pacer } from "../realtime.ts"
import { serveBusOverTcp, type TcpBusServer } from "../net/tcp-bus-server.ts"

export interface ServeOptions {
    /** TCP port on 127.0.0.1; 0 picks a free one */
    port: number
    seed?: number
    /** the board's timing model (default: the stock ESP32 runtime, target=esp32) */
    target?: TargetOptions
    onLog?: (line: string) => void
    /** what the TCP server says of its clients (malformed frames, a flood) */
    onNotice?: (line: string) => void
    /** a VM panic or a failure of the simulation loop */
    onError?: (message: string) => void
}

export interface Served<B> {
    port: number
    board: B
    sim: Simulation
    /**
     * Pulls the board's power now, for `offMs` (default: a brown-out and the chip's boot, 330 ms): it
     * starts again from its flash, with the program and settings it holds, RAM lost, as robot-walk's
     * inject.restartBoard. Refused while the board is off.
     */
    restart(offMs?: number): void
    close(): Promise<void>
}

/** Serves the board `addBoard` puts on the simulation's body bus. */
export async function serveBoard<B>(opts: ServeOptions, addBoard: (sim: Simulation, body: BusSegment) => Promise<B>): Promise<Served<B>> {
    const sim = new Simulation({ seed: opts.seed ?? 1, target: opts.target })
    const body = sim.addSegment("body", true)
    const board = await addBoard(sim, body)
    // the board's one VM; the instance it boots into after a restart is made ahead, so a restart
    // happens the moment it is asked for
    const vm: BoardVm = sim.boards[0]
    await vm.prepareRestart()
    vm.onPowerUp(() => void vm.prepareRestart().catch(e => opts.onError?.(`the board cannot be restarted again: ${(e as Error).message}`)))
    let logged = 0
    let panics = 0
    const report = () => {
        for (; logged < sim.logs.length; logged++) opts.onLog?.(sim.logs[logged].line)
        for (; panics < sim.panics.length; panics++) {
            const p = sim.panics[panics]
            opts.onError?.(`board ${p.board} panicked (code ${p.code}) at ${(p.tUs / 1e6).toFixed(3)} s: ${p.message}`)
        }
    }
    const reporter = setInterval(report, 50)
    let server: TcpBusServer | undefined
    let pacer: Pacer | undefined
    try {
        server = await serveBusOverTcp(body, opts.port, { onNotice: opts.onNotice })
        pacer = paceToWallClock(sim.clock, e => opts.onError?.(`simulation stopped: ${e.message}`))
    } catch (e) {
        clearInterval(reporter)
        await sim.stop()
        throw e
    }
    const srv = server
    const pace = pacer
    return {
        port: srv.port,
        board,
        sim,
        restart: (offMs = BROWN_OUT_OFF_MS + BOOT_MS) => {
            if (vm.stoppedOrPanicked) throw new CommandError("the board is off (restarting, stopped or panicked): it cannot be restarted now")
            try {
                vm.restart(offMs * 1000)
            } catch {
                // the instance it boots into next is still being made (prepareRestart)
                throw new CommandError("the board has only just started again: restart it in a moment")
            }
        },
        close: async () => {
            clearInterval(reporter)
            await srv.close()
            await pace.stop()
            report()
            await sim.stop()
        },
    }
}
