// Deploys a board program and its settings to one board over a Jacdac transport, step by step:
// connect, find the board, check its identity, check nothing drives the joint, stop its program,
// write the bytecode through the DeviceScript manager service, write the settings, start the
// program, verify. Any failure names its step and says what it left on the board; a lost connection
// or a board that restarts is noticed at once and named as such, with the last step the board
// acknowledged (a restarted board is read again: what it stores and runs now). A board an interrupted
// deploy left stopped or without a program is recognised (board-identity.ts) and deployed again.
import { createHash } from "node:crypto"
import { JDBus, PACKET_PROCESS, PACKET_RECEIVE_NO_DEVICE, jdunpack, type JDDevice, type JDService, type Packet } from "jacdac-ts"
import { TcpFrameTransport } from "../../sim/net/tcp-transport.ts"
import { STORED_PROGRAM_START_MS, serverDeviceIdOf } from "../../sim/vm/board-vm.ts"
import { enumName, servicePacket } from "../../sim/services.ts"
import { JOINT_MODE } from "../../sim/clients/joint-client.ts"
import { BOARD_PROGRAM_SPECS, hex32, programServiceOf, type BoardKind } from "./board-kinds.ts"
import { PROGRAM_ANNOUNCE_WAIT_MS, kindOf, productIdOf } from "./board-identity.ts"
import { BoardWatch, SILENT_MS, describeRestartedBoard, type DeployedAndBefore } from "./board-watch.ts"
import {
    FIND_WAIT_MS,
    MGR_REG,
    PROGRAM_ALIGN_BYTES,
    findDeviceScriptBoards,
    managerOf,
    readManagerState,
    readRegister,
    readSetting,
    settingsOf,
    startProgram,
    stopProgram,
    waitFor,
    writeProgram,
    writeSetting,
} from "./board-link.ts"

export interface DeployRequest {
    board: BoardKind
    /** joint or foot id (left_knee, left_foot, ...) */
    jointId: string
    /** validated settings of a `board` board (by its settings table's keys), written as `jointId`'s */
    settings?: { values: Record<string, number> | Record<string, number[]> }
    bytecode: Uint8Array
    host: string
    port: number
    reprovision: boolean
    /** deploy even to a joint that is enabled (its controller loses it) */
    force?: boolean
    /** aborting it (Ctrl-C) ends the deploy at once, reporting its step and what it left */
    signal?: AbortSignal
    log: (line: string) => void
}

export interface DeployResult {
    deviceId: string
    productId: string
    previousJointId: string | undefined
    programSha256: string
    jointIdReported: string | undefined
}

/** the parts of a deploy, by what stopping in each leaves on the board */
type Stage = "look" | "stop" | "write program" | "write settings" | "start" | "verify"

/** what the board holds when a deploy stops during each stage */
const LEFT_IF_STOPPED_DURING: Record<Stage, string> = {
    look: "nothing on the board was changed: it runs what it ran before",
    stop: "the board's program may be stopped (autostart off); its stored program and settings are unchanged",
    "write program":
        "the board runs no program (stopped, autostart off); it stores no program or the whole new one, never part of one (the runtime keeps a program only once it is whole); its settings are unchanged",
    "write settings": "the board runs no program (stopped, autostart off); it stores the whole new program; its settings are the old or the new ones (one write, never a mix)",
    start: "the board stores the new program and settings; the program may not be running, or not start at power-up",
    verify: "the board stores the new program and settings and was told to run it; verify did not finish",
}
const DEPLOY_AGAIN = "deploy again: hfw deploy recognises a board left so and finishes the job"

export class DeployError extends Error {
    constructor(
        readonly step: string,
        message: string,
        /** true once something was written to the board */
        readonly boardChanged = false,
        /** what the board was left with */
        readonly state = LEFT_IF_STOPPED_DURING.look
    ) {
        super(message)
    }
}

/** the connection to the board ended during a step */
class ConnectionLost extends Error {}
/** the user stopped the deploy (Ctrl-C) */
class Interrupted extends Error {}
/** the board restarted (its announce's restart counter went back) */
class BoardRestarted extends Error {}

/**
 * How long a step may still have commands in flight once the board restarted: jacdac-ts resends an
 * unacknowledged command 4 times, 90-120 ms apart (~520 ms), so one can reach the restarted board, and
 * a step sends a few. The board is read after it, so what the deploy says it holds is what it holds.
 */
const IN_FLIGHT_SETTLE_MS = 3000

/** the joint actuator's commands that drive the joint (services/jointactuator.md) */
const DRIVE_COMMANDS = new Map([0x80, 0x82, 0x83, 0x85].map(c => [c, ["enable", "", "impedance", "current", "", "capture"][c - 0x80]]))
/** joint actuator mode Disabled (services/jointactuator.md) */

export async function deploy(req: DeployRequest): Promise<DeployResult> {
    const t0 = Date.now()
    const log = (line: string) => req.log(line.startsWith("  ") ? line : `[${((Date.now() - t0) / 1000).toFixed(1)} s] ${line}`)
    let changed = false
    let acknowledged = "none"
    const transport = new TcpFrameTransport(req.host, req.port)
    /** why the deploy was cut short (the first of a lost link, Ctrl-C, a restart of the board) */
    let cutWhy: Error | undefined
    let cut: (why: Error) => void = () => {}
    const cutShort = new Promise<never>((_, reject) => {
        cut = why => {
            cutWhy ??= why
            reject(why)
        }
    })
    cutShort.catch(() => {}) // raced by every step below
    transport.onLost(why => cut(new ConnectionLost(why)))
    req.signal?.addEventListener("abort", () => cut(new Interrupted()), { once: true })
    /** the board, once found: its restarts and silences, and what the deploy compares it with after one */
    let board: { dev: JDDevice; watch: BoardWatch } | undefined
    const known: DeployedAndBefore = { newSha256: "", settingKey: BOARD_PROGRAM_SPECS[req.board].settingKey }

    const step = async <T>(name: string, stage: Stage, fn: () => Promise<T>): Promise<T> => {
        log(`${name} ...`)
        let running: Promise<T> | undefined
        try {
            if (cutWhy) throw cutWhy // cut between two steps: this one sends nothing
            running = fn()
            const result = await Promise.race([running, cutShort])
            acknowledged = name
            return result
        } catch (e) {
            if (e instanceof DeployError) throw e
            const state = changed ? `${LEFT_IF_STOPPED_DURING[stage]}; ${DEPLOY_AGAIN}` : LEFT_IF_STOPPED_DURING.look
            const last = `the last step the board acknowledged: '${acknowledged}'`
            if (e instanceof Interrupted) throw new DeployError(name, `interrupted during '${name}'; ${last}`, changed, state)
            // a reply that timed out because the link had gone is the link's failure, not the board's
            if (e instanceof ConnectionLost || transport.lostWhy)
                throw new DeployError(name, `connection lost during '${name}': ${transport.lostWhy}; ${last}`, changed, state)
            // likewise a reply or an acknowledgement that did not come because the board restarted or went silent
            const after = e instanceof BoardRestarted ? "restarted" : board ? await board.watch.afterFailure() : "answering"
            if (after === "restarted") {
                await Promise.race([running?.catch(() => {}), new Promise(r => setTimeout(r, IN_FLIGHT_SETTLE_MS))])
                const startedAfterMs = await board!.watch.programStartedAfterMs()
                const left = await describeRestartedBoard(board!.dev, known, startedAfterMs).catch(
                    (err: Error) => `the board restarted; what it holds now could not be read (${err.message})`
                )
                throw new DeployError(name, `the board restarted during '${name}' (its announce's restart counter went back); ${last}`, changed, `${left}; ${DEPLOY_AGAIN}`)
            }
            if (after === "silent") {
                const back = changed
                    ? `; a board that lost power runs the program it stores (none, if none) once it is back: its manager starts it ${STORED_PROGRAM_START_MS / 1000} s after boot`
                    : ""
                throw new DeployError(name, `the board stopped answering during '${name}' (no announce for ${SILENT_MS / 1000} s: its power or its bus is gone); ${last}`, changed, `${state}${back}`)
            }
            throw new DeployError(name, (e as Error).message, changed, state)
        }
    }
    const refuse = (name: string, message: string) => {
        throw new DeployError(name, message, changed)
    }
    if (req.bytecode.length % PROGRAM_ALIGN_BYTES)
        refuse("check bytecode", `the program is ${req.bytecode.length} bytes; the DeviceScript manager takes a multiple of ${PROGRAM_ALIGN_BYTES}`)
    const sha256 = createHash("sha256").update(req.bytecode).digest("hex")
    known.newSha256 = sha256

    const target = `tcp:${req.host}:${req.port}`
    const bus = new JDBus([transport], { client: false, disableRoleManager: true })
    const commands = watchDriveCommands(bus)
    try {
        await step(`connect to ${target}`, "look", async () => {
            await bus.connect()
            if (!bus.connected) throw new Error(`cannot connect to ${target}`)
        })
        const dev = await step("find the board", "look", async () => {
            const boards = await findDeviceScriptBoards(bus, FIND_WAIT_MS)
            if (!boards.length) throw new Error(`no DeviceScript board answered on ${target} within ${FIND_WAIT_MS} ms`)
            if (boards.length > 1) throw new Error(`${boards.length} DeviceScript boards on ${target} (${boards.map(b => b.deviceId).join(", ")}); connect to one board`)
            return boards[0]
        })
        board = { dev, watch: new BoardWatch(dev, () => cut(new BoardRestarted())) }
        const program = BOARD_PROGRAM_SPECS[req.board]
        const manager = managerOf(dev)
        const settings = settingsOf(dev)

        const identity = await step("check identity", "look", async () => {
            const productId = await productIdOf(dev)
            const mgr = await readManagerState(manager)
            const found = await kindOf(dev, productId, mgr)
            if (found.kind !== req.board && !(found.kind === undefined && found.bySettings && req.reprovision))
                refuse("check identity", `the board ${dev.deviceId} is ${found.kind ? `a ${found.kind} board` : "of no kind we know"} (${found.evidence}); --board ${req.board} asked for a ${req.board} board`)
            const stored = found.kind === req.board ? found.storedId : undefined
            if (stored && stored !== req.jointId && !req.reprovision)
                refuse("check identity", `the board is provisioned as ${stored}; deploying ${req.jointId} onto it needs --reprovision`)
            // damaged settings cannot say which joint the board was: writing new ones is a reprovisioning
            const damage = found.kind === req.board ? found.storedDamage : undefined
            if (damage && !req.reprovision)
                refuse("check identity", `the board's stored settings are damaged (${damage}); --reprovision writes ${req.jointId}'s`)
            known.before = { programSha256: mgr.programSha256, settings: found.kind === req.board ? found.storedText : undefined }
            const how = found.bySettings ? `, ${found.evidence}` : ""
            const provisioned = stored ? `provisioned as ${stored}` : damage ? `its stored settings damaged (${damage})` : "not provisioned"
            log(`  board ${dev.deviceId}: ${found.kind ?? req.board} board, product id ${hex32(productId)}, ${provisioned}${how}`)
            // the runtime's empty program, run when no program is stored, serves nothing: no joint to drive
            return { productId, stored, running: mgr.running && !!mgr.programSha256 }
        })

        if (req.board === "joint" && identity.running)
            await step("check the joint is not driven", "look", async () => {
                const driven = await drivenJoint(bus, dev, commands, target)
                if (!driven) return
                if (!req.force) refuse("check the joint is not driven", `${driven}: stopping its program now drops it. Disable it from its controller first, or deploy with --force`)
                log(`  --force: ${driven}; it is stopped now`)
            })

        await step("stop the program", "stop", async () => {
            changed = true
            await stopProgram(manager)
        })
        await step(`write the program (${req.bytecode.length} bytes)`, "write program", () => writeProgram(manager, req.bytecode))
        const stored = req.settings ? program.encode(req.jointId, req.settings.values) : undefined
        if (stored) known.newSettings = JSON.stringify(stored)
        if (stored) await step(`write the settings of ${req.jointId}`, "write settings", () => writeSetting(settings, program.settingKey, stored))
        await step("start the program", "start", () => startProgram(manager))

        const jointIdReported = await step("verify", "verify", async () => {
            const got = Buffer.from(await readRegister(manager, MGR_REG.programSha256)).toString("hex")
            if (got !== sha256) throw new Error(`the board reports program sha256 ${got}, the built program is ${sha256}`)
            log(`  program sha256 ${sha256} matches`)
            if (stored) {
                const back = await readSetting(settings, program.settingKey)
                if (back !== JSON.stringify(stored)) throw new Error(`settings read back differ from the file: ${back ?? "(none)"}`)
                log("  settings read back equal the file")
            }
            await waitFor("the program to run", async () => (await readRegister(manager, MGR_REG.running))[0] === 1)
            let reported: string | undefined
            await waitFor(`the program's ${program.serviceName} service to answer`, async () => {
                reported = await programId(bus, dev, req.board)
                return reported !== undefined
            })
            if (reported !== req.jointId) throw new Error(`the running program reports ${program.idName} '${reported}', expected '${req.jointId}'`)
            log(`  program running, its ${program.serviceName} service reports ${program.idName} ${reported}`)
            return reported
        })
        return { deviceId: dev.deviceId, productId: hex32(identity.productId), previousJointId: identity.stored, programSha256: sha256, jointIdReported }
    } finally {
        await bus.stop()
    }
}

interface DriveCommand {
    deviceId: string
    serviceIndex: number
    name: string
}

/** Records the drive commands any controller on the bus sends to any joint, from now on. */
function watchDriveCommands(bus: JDBus): { sinceMs: number; seen: DriveCommand[] } {
    const seen: DriveCommand[] = []
    const record = (pkt: Packet) => {
        const name = pkt.isCommand ? DRIVE_COMMANDS.get(pkt.serviceCommand) : undefined
        if (name) seen.push({ deviceId: pkt.deviceIdentifier, serviceIndex: pkt.serviceIndex, name })
    }
    // commands to a device not yet announced come as PACKET_RECEIVE_NO_DEVICE
    bus.on(PACKET_PROCESS, record)
    bus.on(PACKET_RECEIVE_NO_DEVICE, record)
    return { sinceMs: Date.now(), seen }
}

/**
 * Why the joint `dev`'s program serves counts as driven (enabled: its mode is not disabled), with
 * what tells who drives it; undefined when it is disabled or no joint actuator is served. Jacdac commands do not carry their
 * sender, so the controller is described by the commands seen and the devices that announced.
 */
async function drivenJoint(bus: JDBus, dev: JDDevice, commands: ReturnType<typeof watchDriveCommands>, target: string): Promise<string | undefined> {
    const programDevice = serverDeviceIdOf(dev.deviceId)
    let service: JDService | undefined
    const found = async () => {
        service = bus.device(programDevice, true)?.services({ serviceClass: programServiceOf("joint") })[0]
        return !!service
    }
    // a program that serves no joint actuator (another program, a board left so) drives no joint
    if (!(await waitFor("the joint actuator service", found, PROGRAM_ANNOUNCE_WAIT_MS).then(() => true, () => false))) return undefined
    const mode = jdunpack<[number]>(await readRegister(service!, servicePacket("jointactuator", "mode").identifier), "u8")[0]
    if (mode === JOINT_MODE.disabled) return undefined
    const listenedS = (Date.now() - commands.sinceMs) / 1000
    const toIt = commands.seen.filter(c => c.deviceId === programDevice && c.serviceIndex === service!.serviceIndex)
    const counts = new Map<string, number>()
    for (const c of toIt) counts.set(c.name, (counts.get(c.name) ?? 0) + 1)
    const heard = toIt.length
        ? `${[...counts].map(([name, n]) => `${n} ${name}`).join(", ")} command(s) to it in the ${listenedS.toFixed(1)} s deploy listened`
        : "no command to it heard while deploy listened"
    const others = bus
        .devices()
        .filter(d => d.deviceId !== dev.deviceId && d.deviceId !== programDevice && d.deviceId !== bus.selfDeviceId)
        .map(d => {
            const services = d.services().slice(1).map(s => s.name)
            const what = services.every(n => n === "infrastructure") ? "a jacdac-ts host: a tool, a bridge or a controller" : services.join(", ") || "no services"
            return `${d.deviceId} (${what})`
        })
    const who = others.length
        ? `devices on ${target} besides the board: ${others.join("; ")}`
        : `no other device announced itself on ${target} (a bench tool or body controller need not; Jacdac commands do not name their sender)`
    const modeName = enumName("jointactuator", "Mode", mode)
    const commanded = mode === JOINT_MODE.current || mode === JOINT_MODE.impedance ? "enabled and commanded" : "enabled"
    return `the joint is ${commanded} (mode ${modeName}; ${heard}): a controller drives it; ${who}`
}

/** the id the running program's service reports (joint_id, foot_id); undefined while it does not answer */
async function programId(bus: JDBus, dev: JDDevice, kind: BoardKind): Promise<string | undefined> {
    const spec = BOARD_PROGRAM_SPECS[kind]
    const service = bus.device(serverDeviceIdOf(dev.deviceId), true)?.services({ serviceClass: programServiceOf(kind) })[0]
    if (!service) return undefined
    try {
        return jdunpack<[string]>(await readRegister(service, servicePacket(spec.service, spec.idRegister).identifier, 300), "s")[0]
    } catch {
        return undefined
    }
}

