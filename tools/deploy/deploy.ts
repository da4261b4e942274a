// Deploys a board program and its settings to one board over a Jacdac transport, step by step:
// connect, find the board, check its identity, stop its program, write the bytecode through the
// DeviceScript manager service, write the settings, start the program, verify. Any failure names its
// step and says whether the board had been changed by then.
import { createHash } from "node:crypto"
import { JDBus, jdunpack, type JDDevice } from "jacdac-ts"
import { TcpFrameTransport } from "../../sim/net/tcp-transport.ts"
import { serverDeviceIdOf } from "../../sim/vm/board-vm.ts"
import { servicePacket } from "../../sim/services.ts"
import { BOARD_PROGRAM_SPECS, DEVICESCRIPT_SIM_PRODUCT_ID, PRODUCT_IDS, hex32, programServiceOf, type BoardKind } from "./board-kinds.ts"
import {
    FIND_WAIT_MS,
    MGR_REG,
    PROGRAM_ALIGN_BYTES,
    findDeviceScriptBoards,
    managerOf,
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
    log: (line: string) => void
}

export interface DeployResult {
    deviceId: string
    productId: string
    previousJointId: string | undefined
    programSha256: string
    jointIdReported: string | undefined
}

export class DeployError extends Error {
    constructor(
        readonly step: string,
        message: string,
        /** true once something was written to the board */
        readonly boardChanged = false
    ) {
        super(message)
    }
}

export async function deploy(req: DeployRequest): Promise<DeployResult> {
    const t0 = Date.now()
    const log = (line: string) => req.log(line.startsWith("  ") ? line : `[${((Date.now() - t0) / 1000).toFixed(1)} s] ${line}`)
    let changed = false
    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
        log(`${name} ...`)
        try {
            return await fn()
        } catch (e) {
            if (e instanceof DeployError) throw e
            throw new DeployError(name, (e as Error).message, changed)
        }
    }
    const refuse = (name: string, message: string) => {
        throw new DeployError(name, message, changed)
    }
    if (req.bytecode.length % PROGRAM_ALIGN_BYTES)
        refuse("check bytecode", `the program is ${req.bytecode.length} bytes; the DeviceScript manager takes a multiple of ${PROGRAM_ALIGN_BYTES}`)
    const sha256 = createHash("sha256").update(req.bytecode).digest("hex")

    const target = `tcp:${req.host}:${req.port}`
    const bus = new JDBus([new TcpFrameTransport(req.host, req.port)], { client: false, disableRoleManager: true })
    try {
        await step(`connect to ${target}`, async () => {
            await bus.connect()
            if (!bus.connected) throw new Error(`cannot connect to ${target}`)
        })
        const dev = await step("find the board", async () => {
            const boards = await findDeviceScriptBoards(bus, FIND_WAIT_MS)
            if (!boards.length) throw new Error(`no DeviceScript board answered on ${target} within ${FIND_WAIT_MS} ms`)
            if (boards.length > 1) throw new Error(`${boards.length} DeviceScript boards on ${target} (${boards.map(b => b.deviceId).join(", ")}); connect to one board`)
            return boards[0]
        })
        const program = BOARD_PROGRAM_SPECS[req.board]
        const manager = managerOf(dev)
        const settings = settingsOf(dev)

        const identity = await step("check identity", async () => {
            const productId = await productIdOf(dev)
            const kind = await kindOf(dev, productId)
            if (kind !== req.board)
                refuse("check identity", `the board ${dev.deviceId} is ${kind ? `a ${kind} board` : "of no kind we know"} (${kindEvidence(productId)}); --board ${req.board} asked for a ${req.board} board`)
            const stored = await storedId(settings, program.settingKey)
            if (stored && stored !== req.jointId && !req.reprovision)
                refuse("check identity", `the board is provisioned as ${stored}; deploying ${req.jointId} onto it needs --reprovision`)
            log(`  board ${dev.deviceId}: ${kind} board, product id ${hex32(productId)}, ${stored ? `provisioned as ${stored}` : "not provisioned"}`)
            return { productId, stored }
        })

        await step("stop the program", async () => {
            changed = true
            await stopProgram(manager)
        })
        await step(`write the program (${req.bytecode.length} bytes)`, () => writeProgram(manager, req.bytecode))
        const stored = req.settings ? program.encode(req.jointId, req.settings.values) : undefined
        if (stored) await step(`write the settings of ${req.jointId}`, () => writeSetting(settings, program.settingKey, stored))
        await step("start the program", () => startProgram(manager))

        const jointIdReported = await step("verify", async () => {
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

async function productIdOf(dev: JDDevice): Promise<number> {
    const data = await readRegister(dev.service(0), 0x181) // control service: product_identifier
    return jdunpack<[number]>(data, "u32")[0]
}

/** joint or foot from the product id; a simulated board (the WASM VM's product id) by its program */
async function kindOf(dev: JDDevice, productId: number): Promise<BoardKind | undefined> {
    for (const [kind, id] of Object.entries(PRODUCT_IDS)) if (id === productId) return kind as BoardKind
    if (productId !== DEVICESCRIPT_SIM_PRODUCT_ID) return undefined
    const program = dev.bus.device(serverDeviceIdOf(dev.deviceId), true)
    for (const kind of Object.keys(BOARD_PROGRAM_SPECS) as BoardKind[])
        if (program?.services({ serviceClass: programServiceOf(kind) }).length) return kind
    return undefined
}

function kindEvidence(productId: number): string {
    if (productId === DEVICESCRIPT_SIM_PRODUCT_ID)
        return `product id ${hex32(productId)}, the DeviceScript simulator: a simulated board's kind is the service its program serves`
    const known = Object.entries(PRODUCT_IDS).map(([k, id]) => `${k} ${hex32(id)}`)
    return `product id ${hex32(productId)}; accepted ${known.join(", ")}, or a simulated board`
}

/** the id stored in the board's settings (both kinds store {"id": ..., "v": [...]}) */
async function storedId(settings: Parameters<typeof readSetting>[0], key: string): Promise<string | undefined> {
    const text = await readSetting(settings, key)
    if (text === undefined) return undefined
    try {
        const s = JSON.parse(text) as { id?: unknown }
        return typeof s.id === "string" ? s.id : undefined
    } catch {
        throw new Error(`the board's '${key}' setting is not JSON: ${text.slice(0, 60)}`)
    }
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

