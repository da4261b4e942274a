// Where a bench run's joint is: `sim` (a simulated board in this process, in virtual time, on the rig
// the protocol asks for), `tcp:HOST:PORT` (a board bridged by the DeviceScript development tools, or
// `hfw sim serve`) or `serial:DEVICE` (a board on a serial port). Above the transport everything is
// shared: one jacdac-ts bus, one BenchJoint, one way of reading the board's identity.
import { JDBus, SRV_DEVICE_SCRIPT_MANAGER, type JDDevice, type Transport } from "jacdac-ts"
import { CommandError, UsageError } from "../../sim/errors.ts"
import { Simulation } from "../../sim/simulation.ts"
import type { TargetOptions } from "../../sim/vm/target-model.ts"
import { JointBoard } from "../../sim/hardware/joint-board.ts"
import { blockedLoad, linkLoad, type JointLoad } from "../../sim/plants/loads.ts"
import type { ActuatorParams } from "../../sim/plants/actuator.ts"
import type { SensorParams } from "../../sim/plants/actuator-sensors.ts"
import { TcpFrameTransport } from "../../sim/net/tcp-transport.ts"
import { serverDeviceIdOf } from "../../sim/vm/board-vm.ts"
import { customService, loadCustomServices } from "../../sim/services.ts"
import { JOINT_SETTING_KEY, decodeJointSettings, type JointSettings } from "../../devs/joint/settings-schema.ts"
import { managerOf, readRegister, readSetting, settingsOf } from "../deploy/board-link.ts"
import { BenchJoint, withRetries, type BenchClock } from "./bench-joint.ts"

/** what is on the joint's output: the protocol says which fixture it needs */
export type Rig = { kind: "blocked" } | { kind: "free" } | { kind: "lever"; massKg: number; leverM: number }

export interface BoardIdentity {
    target: string
    deviceId: string
    jointId: string
    programSha256: string
    /** the board's stored settings, by key (decoded with the settings table) */
    settings: Record<string, number>
}

export interface BenchSession {
    joint: BenchJoint
    clock: BenchClock
    identity: BoardIdentity
    /** runs `body` against the board: in virtual time for the simulator, else as it comes */
    run<T>(body: () => Promise<T>): Promise<T>
    close(): Promise<void>
    /** the simulated board, for the simulator target only (its plant's true parameters) */
    simulated?: JointBoard
}

export interface SimTargetOptions {
    rig: Rig
    jointId: string
    /** the plant's true parameters (perturbed ones for calibration tests) */
    actuator: ActuatorParams
    sensors: SensorParams
    settings: JointSettings
    seed: number
    /** the board's timing model (default: the stock ESP32 runtime, target=esp32) */
    target?: TargetOptions
}

const JOINT_ID_REG = 0x181
const PROGRAM_SHA_REG = 0x182
/** a board announces itself every 500 ms */
const FIND_TIMEOUT_MS = 3000

export function parseTarget(spec: string): { kind: "sim" } | { kind: "tcp"; host: string; port: number } | { kind: "serial"; device: string } {
    if (spec === "sim") return { kind: "sim" }
    const tcp = /^tcp:([^:]+):(\d{1,5})$/.exec(spec)
    if (tcp && Number(tcp[2]) > 0 && Number(tcp[2]) < 65536) return { kind: "tcp", host: tcp[1], port: Number(tcp[2]) }
    const serial = /^serial:(.+)$/.exec(spec)
    if (serial) return { kind: "serial", device: serial[1] }
    throw new UsageError(`--target '${spec}' is not accepted; one of sim, tcp:HOST:PORT (e.g. tcp:127.0.0.1:8082), serial:DEVICE (e.g. serial:/dev/ttyACM0)`)
}

function rigLoad(rig: Rig): JointLoad {
    if (rig.kind === "blocked") return blockedLoad
    if (rig.kind === "free") return linkLoad({ massKg: 0, leverM: 0, gravity: false })
    return linkLoad({ massKg: rig.massKg, leverM: rig.leverM, gravity: true })
}

/** the simulation's virtual clock as a bench's clock */
export function simBenchClock(sim: Simulation): BenchClock {
    return {
        nowMs: () => sim.clock.nowMs,
        // (at least 1 µs: a sleep of less than half a microsecond, the rest of a hold, rounded to 0
        // and let a protocol's loop spin without the simulation's time moving on)
        sleep: ms => new Promise<void>(resolve => sim.clock.after(Math.max(1, Math.round(ms * 1000)), resolve)),
    }
}

/** A simulated joint board on `rig`, driven in virtual time. */
export async function openSimTarget(o: SimTargetOptions): Promise<BenchSession> {
    loadCustomServices()
    const sim = new Simulation({ seed: o.seed, target: o.target })
    const body = sim.addSegment("body", true)
    const board = await JointBoard.add(sim, {
        name: o.jointId,
        actuator: o.actuator,
        sensors: o.sensors,
        settings: o.settings,
        body,
        load: rigLoad(o.rig),
    })
    const clock = simBenchClock(sim)
    const run = async <T>(body: () => Promise<T>): Promise<T> => {
        let settled = false
        const p = body().finally(() => (settled = true))
        p.catch(() => {}) // rethrown below
        while (!settled) {
            await sim.clock.runUntil(sim.clock.nowUs + 1000)
            const panic = sim.panics[0]
            if (panic) throw new Error(`the simulated board panicked at ${(panic.tUs / 1e6).toFixed(3)} s: ${panic.message}`)
        }
        return p
    }
    const session = await run(() => connect(body.bus, clock, "sim", board.client.serverDeviceId))
    return { ...session, run, simulated: board, close: () => sim.stop() }
}

/** the wall clock, for a board over a transport */
export const WALL_CLOCK: BenchClock = {
    nowMs: () => performance.now(),
    sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
}

/** A jacdac-ts bus connected over `transport` (TCP bridge or serial port); the caller disposes of it. */
export async function openBus(target: string, transport: Transport): Promise<JDBus> {
    loadCustomServices()
    const bus = new JDBus([transport], { client: false, disableRoleManager: true })
    try {
        await bus.connect()
        if (!bus.connected) {
            const why = transport instanceof TcpFrameTransport ? transport.lastConnectError : undefined
            throw new CommandError(`cannot connect to ${target}${why ? `: ${why}` : ""}; is a board bridged there (devs devtools) or served (hfw sim serve)?`)
        }
        return bus
    } catch (e) {
        await bus.dispose()
        throw e
    }
}

/** A board over a jacdac-ts transport (TCP bridge or serial port), in wall-clock time. */
export async function openBusTarget(target: string, transport: Transport): Promise<BenchSession> {
    return sessionOnBus(await openBus(target, transport), target)
}

/** The joint board on an open `bus` (openBus), in wall-clock time; closing the session disposes of the bus. */
export async function sessionOnBus(bus: JDBus, target: string): Promise<BenchSession> {
    try {
        const session = await connect(bus, WALL_CLOCK, target)
        return { ...session, run: body => body(), close: () => bus.dispose() }
    } catch (e) {
        await bus.dispose()
        throw e
    }
}

export function tcpTransport(host: string, port: number): Transport {
    return new TcpFrameTransport(host, port)
}

async function connect(bus: JDBus, clock: BenchClock, target: string, deviceId?: string): Promise<Omit<BenchSession, "run" | "close">> {
    const until = clock.nowMs() + FIND_TIMEOUT_MS
    const actuatorClass = customService("jointactuator").classIdentifier
    // The joint's program and its board (the DeviceScript manager: program hash, settings) are two
    // devices announcing themselves independently, every 500 ms each: wait for both.
    let dev: JDDevice | undefined
    let board: JDDevice | undefined
    for (;;) {
        const found = bus.devices({ serviceClass: actuatorClass }).filter(d => !deviceId || d.deviceId === deviceId)
        if (found.length > 1) throw new CommandError(`${found.length} joint boards answer on ${target}; the bench takes one`)
        dev = found[0]
        board = dev && bus.devices({ serviceClass: SRV_DEVICE_SCRIPT_MANAGER }).find(d => serverDeviceIdOf(d.deviceId) === dev!.deviceId)
        if (dev && board) break
        if (clock.nowMs() > until) {
            const waited = `waited ${FIND_TIMEOUT_MS / 1000} s`
            if (!dev)
                throw new CommandError(`no joint board answers on ${target} (${waited}): is a joint board there, powered and running the joint program (hfw deploy)?`)
            throw new CommandError(
                `the joint program ${dev.deviceId} answers on ${target}, but its board (the DeviceScript manager, device ${serverDeviceIdOf(dev.deviceId)}) did not announce itself (${waited}): is this a DeviceScript board?`
            )
        }
        await clock.sleep(50)
    }
    const joint = BenchJoint.find(dev.services({ serviceClass: actuatorClass }), clock)
    if (!joint) throw new CommandError(`the board ${dev.deviceId} on ${target} has no board fault service: is it running the joint program (hfw deploy)?`)
    const identity = await readIdentity(dev, board, joint, target)
    return { joint, clock, identity }
}

/** the program's hash is the DeviceScript manager's, on `board` itself; the program's own servers (`dev`) are a second device */
async function readIdentity(dev: JDDevice, board: JDDevice, joint: BenchJoint, target: string): Promise<BoardIdentity> {
    const jointId = new TextDecoder().decode(await withRetries("reading joint_id", () => readRegister(joint.actuator, JOINT_ID_REG)))
    const sha = Buffer.from(await withRetries("reading the program hash", () => readRegister(managerOf(board), PROGRAM_SHA_REG))).toString("hex")
    const stored = await withRetries("reading the settings", () => readSetting(settingsOf(board), JOINT_SETTING_KEY))
    const settings = stored ? decodeJointSettings(JSON.parse(stored)) : {}
    return { target, deviceId: dev.deviceId, jointId, programSha256: sha, settings }
}
