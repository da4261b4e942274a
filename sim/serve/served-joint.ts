// One simulated joint board served to other programs over TCP on 127.0.0.1 (`hfw sim serve`): the
// joint bytecode in its VM with the actuator plant on a blocked output (a bench), its body bus served
// with the development tools' framing, so a tool connecting to it sees what it sees of a real board
// bridged by `devs devtools`. The virtual clock is paced to the wall clock (sim/realtime.ts).
import { Simulation } from "../simulation.ts"
import { JointBoard } from "../hardware/joint-board.ts"
import { blockedLoad } from "../plants/loads.ts"
import { ACTUATORS } from "../plants/actuator.ts"
import { SENSORS } from "../plants/actuator-sensors.ts"
import { paceToWallClock, type Pacer } from "../realtime.ts"
import { serveBusOverTcp, type TcpBusServer } from "../net/tcp-bus-server.ts"
import { defaultJointSettings, type ActuatorSize } from "../../devs/joint/settings-schema.ts"

export interface ServeJointOptions {
    /** the board's name on the bench (its device id derives from it) */
    name: string
    /** the actuator on the bench */
    actuator: ActuatorSize
    /** settings in the board's flash at power-up (provisioned as `jointId`); none: unprovisioned */
    provisioned?: { jointId: string; values: Record<string, number> }
    /** TCP port on 127.0.0.1; 0 picks a free one */
    port: number
    seed?: number
    onLog?: (line: string) => void
    /** a VM panic or a failure of the simulation loop */
    onError?: (message: string) => void
}

export interface ServedJoint {
    port: number
    board: JointBoard
    sim: Simulation
    close(): Promise<void>
}

export async function serveJointBoard(opts: ServeJointOptions): Promise<ServedJoint> {
    const sim = new Simulation({ seed: opts.seed ?? 1 })
    const body = sim.addSegment("body", true)
    const board = await JointBoard.add(sim, {
        name: opts.provisioned?.jointId ?? opts.name,
        actuator: ACTUATORS[opts.actuator],
        sensors: SENSORS[opts.actuator],
        settings: opts.provisioned?.values ?? defaultJointSettings(opts.actuator),
        unprovisioned: !opts.provisioned,
        body,
        load: blockedLoad,
    })
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
        server = await serveBusOverTcp(body.bus, opts.port)
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
        close: async () => {
            clearInterval(reporter)
            await srv.close()
            await pace.stop()
            report()
            await sim.stop()
        },
    }
}
