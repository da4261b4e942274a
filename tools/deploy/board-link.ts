// Talking to one board over a jacdac-ts bus: find it, read registers with an explicit get (never a
// cached value), its settings, and its program servers' device.
import {
    CMD_GET_REG,
    CMD_SET_REG,
    DeviceScriptManagerCmd,
    OutPipe,
    Packet,
    SRV_DEVICE_SCRIPT_MANAGER,
    SRV_SETTINGS,
    jdpack,
    jdunpack,
    type JDBus,
    type JDDevice,
    type JDService,
} from "jacdac-ts"

export const REPLY_TIMEOUT_MS = 1000
/** a board announces every 500 ms: wait for two announces */
export const FIND_WAIT_MS = 1200
/** a started program reads its settings and announces its servers within this */
export const START_TIMEOUT_MS = 4000
/** the DeviceScript manager takes programs in 32-byte words (runtime devsmgr.c, DEVSMGR_ALIGN) */
export const PROGRAM_ALIGN_BYTES = 32
/** the DeviceScript manager's registers */
export const MGR_REG = { running: 0x80, autostart: 0x81, programSha256: 0x182 }

export async function readRegister(service: JDService, code: number, timeoutMs = REPLY_TIMEOUT_MS): Promise<Uint8Array> {
    const resp = await service.sendCmdAwaitResponseAsync(Packet.onlyHeader(CMD_GET_REG | code), timeoutMs)
    return resp.data
}

export async function writeRegisterU8(service: JDService, code: number, value: number) {
    await service.sendPacketAsync(Packet.from(CMD_SET_REG | code, jdpack("u8", [value])), true)
}

/** every device on the bus that hosts a DeviceScript manager, once they had `waitMs` to announce */
export async function findDeviceScriptBoards(bus: JDBus, waitMs: number): Promise<JDDevice[]> {
    const deadline = Date.now() + waitMs
    for (;;) {
        const found = bus.devices({ serviceClass: SRV_DEVICE_SCRIPT_MANAGER })
        // a second board may announce a moment after the first: give every board one announce period
        if (Date.now() >= deadline) return found
        await new Promise(r => setTimeout(r, 50))
    }
}

export interface ManagerState {
    /** the program runs */
    running: boolean
    /** the program starts at power-up */
    autostart: boolean
    /** the stored program's SHA-256 (hex); undefined when none is stored (the runtime keeps a program only once it is whole) */
    programSha256: string | undefined
}

/** what the DeviceScript manager reports of the board's program */
export async function readManagerState(manager: JDService): Promise<ManagerState> {
    const running = (await readRegister(manager, MGR_REG.running))[0] === 1
    const autostart = (await readRegister(manager, MGR_REG.autostart))[0] === 1
    const sha = Buffer.from(await readRegister(manager, MGR_REG.programSha256))
    return { running, autostart, programSha256: sha.some(b => b !== 0) ? sha.toString("hex") : undefined }
}

/** Stops the board's program (and its restart on reset) and waits until it has stopped. */
export async function stopProgram(manager: JDService) {
    await writeRegisterU8(manager, MGR_REG.autostart, 0)
    await writeRegisterU8(manager, MGR_REG.running, 0)
    await waitFor("the program to stop", async () => (await readRegister(manager, MGR_REG.running))[0] === 0)
}

/** Writes `bytecode` (a multiple of PROGRAM_ALIGN_BYTES) as the board's program. */
export async function writeProgram(manager: JDService, bytecode: Uint8Array) {
    await OutPipe.sendBytes(manager, DeviceScriptManagerCmd.DeployBytecode, bytecode)
}

/** Starts the board's program, and has it start again on reset. */
export async function startProgram(manager: JDService) {
    await writeRegisterU8(manager, MGR_REG.running, 1)
    await writeRegisterU8(manager, MGR_REG.autostart, 1)
}

/** Asks `ok` every 100 ms until it says yes (a failed ask counts as no), for at most `timeoutMs`. */
export async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs = START_TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
        try {
            if (await ok()) return
        } catch {
            // no answer yet: ask again
        }
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
        await new Promise(r => setTimeout(r, 100))
    }
}

export function managerOf(dev: JDDevice): JDService {
    const s = dev.services({ serviceClass: SRV_DEVICE_SCRIPT_MANAGER })[0]
    if (!s) throw new Error(`device ${dev.deviceId} has no DeviceScript manager`)
    return s
}

export function settingsOf(dev: JDDevice): JDService {
    const s = dev.services({ serviceClass: SRV_SETTINGS })[0]
    if (!s) throw new Error(`device ${dev.deviceId} has no settings service`)
    return s
}

const SETTINGS_CMD_GET = 0x80
const SETTINGS_CMD_SET = 0x81
const SETTINGS_CMD_DELETE = 0x84

/** the stored value of a DeviceScript setting (JSON text), or undefined when the key is not set */
export async function readSetting(settings: JDService, key: string): Promise<string | undefined> {
    const resp = await settings.sendCmdAwaitResponseAsync(Packet.from(SETTINGS_CMD_GET, jdpack("s", [key])), REPLY_TIMEOUT_MS)
    const [rkey, value] = jdunpack<[string, Uint8Array]>(resp.data, "z b")
    if (rkey !== key) throw new Error(`the board answered for setting '${rkey}' when asked for '${key}'`)
    return value.length ? new TextDecoder().decode(value) : undefined
}

/** removes a DeviceScript setting */
export async function deleteSetting(settings: JDService, key: string) {
    await settings.sendPacketAsync(Packet.from(SETTINGS_CMD_DELETE, jdpack("s", [key])), true)
}

/** stores a DeviceScript setting as @devicescript/settings does: JSON text */
export async function writeSetting(settings: JDService, key: string, value: unknown) {
    const data = jdpack<[string, Uint8Array]>("z b", [key, new TextEncoder().encode(JSON.stringify(value))])
    await settings.sendPacketAsync(Packet.from(SETTINGS_CMD_SET, data), true)
}
