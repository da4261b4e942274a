// What a board is, for hfw deploy: its kind (joint or foot) and the id and state of the settings it
// stores. A real board tells its kind by its product id; a simulated one (the WASM VM's product id)
// by the service its program serves, or, when no program service answers (stopped, no program stored,
// a program of no board kind), by the settings it stores: as a deploy cut short, or a restart during
// one, can leave it.
import { jdunpack, type JDDevice } from "jacdac-ts"
import { serverDeviceIdOf } from "../../sim/vm/board-vm.ts"
import { BOARD_PROGRAM_SPECS, DEVICESCRIPT_SIM_PRODUCT_ID, PRODUCT_IDS, hex32, programServiceOf, type BoardKind } from "./board-kinds.ts"
import { readRegister, readSetting, settingsOf, waitFor, type ManagerState } from "./board-link.ts"

/** a running program's servers announce themselves every 500 ms */
export const PROGRAM_ANNOUNCE_WAIT_MS = 1500

export async function productIdOf(dev: JDDevice): Promise<number> {
    const data = await readRegister(dev.service(0), 0x181) // control service: product_identifier
    return jdunpack<[number]>(data, "u32")[0]
}

export interface KindFound {
    kind?: BoardKind
    /** the id in the board's settings of that kind */
    storedId?: string
    /** what is wrong with the board's settings of that kind, when they are damaged */
    storedDamage?: string
    /** the settings' text as stored (JSON), when they are */
    storedText?: string
    /** a simulated board whose program serves no board's service: its kind (if any) is its stored settings' */
    bySettings: boolean
    /** what the kind was told by */
    evidence: string
}

/**
 * Joint or foot from the product id; a simulated board (the WASM VM's product id) by the service its
 * program serves, or, when none answers, by the id stored in its settings.
 */
export async function kindOf(dev: JDDevice, productId: number, mgr: ManagerState): Promise<KindFound> {
    const settings = settingsOf(dev)
    const byProduct = (Object.keys(PRODUCT_IDS) as BoardKind[]).find(k => PRODUCT_IDS[k] === productId)
    if (byProduct) {
        const stored = await storedIdentity(settings, BOARD_PROGRAM_SPECS[byProduct].settingKey)
        return { kind: byProduct, ...storedFields(stored), bySettings: false, evidence: `product id ${hex32(productId)}` }
    }
    if (productId !== DEVICESCRIPT_SIM_PRODUCT_ID) return { bySettings: false, evidence: kindEvidence(productId) }
    const kinds = Object.keys(BOARD_PROGRAM_SPECS) as BoardKind[]
    const served = () => {
        const program = dev.bus.device(serverDeviceIdOf(dev.deviceId), true)
        return kinds.find(kind => program?.services({ serviceClass: programServiceOf(kind) }).length)
    }
    // a running program's servers announce themselves apart from the board: give them an announce or two
    // (the runtime's empty program, run when no program is stored, serves nothing)
    if (mgr.running && mgr.programSha256) await waitFor("the program's servers", async () => !!served(), PROGRAM_ANNOUNCE_WAIT_MS).catch(() => {})
    const kind = served()
    if (kind) {
        const stored = await storedIdentity(settings, BOARD_PROGRAM_SPECS[kind].settingKey)
        return { kind, ...storedFields(stored), bySettings: false, evidence: kindEvidence(productId) }
    }
    const state = programState(mgr)
    for (const k of kinds) {
        const stored = await storedIdentity(settings, BOARD_PROGRAM_SPECS[k].settingKey).catch(() => ({}) as StoredIdentity)
        if (stored.id) return { kind: k, ...storedFields(stored), bySettings: true, evidence: `${state}; its stored ${BOARD_PROGRAM_SPECS[k].idName} is ${stored.id}` }
    }
    return { bySettings: true, evidence: `${state}; no stored ${kinds.map(k => BOARD_PROGRAM_SPECS[k].idName).join(" or ")} can be read: --reprovision deploys onto it` }
}

/** what the manager of a simulated board that serves no board's service reports, and how a board comes to be so */
function programState(mgr: ManagerState): string {
    const program = mgr.programSha256 ? `program ${mgr.programSha256.slice(0, 16)}... stored` : "no program stored"
    if (!mgr.running && !mgr.autostart) return `stopped with autostart off, ${program}, serving nothing: as an interrupted deploy leaves a board`
    if (!mgr.programSha256)
        return `${mgr.running ? "running" : "to run"} the runtime's empty program, no program stored, serving nothing: as a restart during a deploy's program write leaves a board`
    return `${mgr.running ? "running" : "not running yet (autostart on)"}, ${program}, serving neither board's service`
}

function kindEvidence(productId: number): string {
    if (productId === DEVICESCRIPT_SIM_PRODUCT_ID)
        return `product id ${hex32(productId)}, the DeviceScript simulator: a simulated board's kind is the service its program serves`
    const known = Object.entries(PRODUCT_IDS).map(([k, id]) => `${k} ${hex32(id)}`)
    return `product id ${hex32(productId)}; accepted ${known.join(", ")}, or a simulated board`
}

/** what the board's settings say of its identity: the id stored (both kinds store {"id": ..., "v": [...], "check"}), or what is wrong with them */
interface StoredIdentity {
    id?: string
    /** the stored settings are damaged: not JSON, or their id not a string (the board reports InvalidSetting) */
    damage?: string
    text?: string
}

const storedFields = (s: StoredIdentity) => ({ storedId: s.id, storedDamage: s.damage, storedText: s.text })

async function storedIdentity(settings: Parameters<typeof readSetting>[0], key: string): Promise<StoredIdentity> {
    const text = await readSetting(settings, key)
    if (text === undefined) return {}
    try {
        const s = JSON.parse(text) as { id?: unknown }
        return typeof s.id === "string" ? { id: s.id, text } : { damage: `the '${key}' setting's id is ${JSON.stringify(s.id)}, not a string`, text }
    } catch {
        return { damage: `the '${key}' setting is not JSON: ${text.slice(0, 60)}`, text }
    }
}
