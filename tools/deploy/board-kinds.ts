// Which kind of board a device is. A real board's runtime reports the product id of its board
// configuration (boards/*.board.json). DeviceScript's WASM VM, which the simulator runs, always
// reports the DeviceScript simulator's product id, so a simulated board's kind is read from the
// services its program serves.
import fs from "node:fs"
import path from "node:path"
import { REPO_ROOT } from "../../sim/firmware.ts"
import { customService } from "../../sim/services.ts"
import { UsageError } from "../../sim/errors.ts"
import { ROBOT_JOINTS } from "../../sim/robot/joints.ts"
import { JOINT_SETTING_KEY, encodeJointSettings } from "../../devs/joint/settings-schema.ts"
import { FOOT_SETTING_KEY, encodeFootSettings } from "../../devs/foot/settings-schema.ts"

export type BoardKind = "joint" | "foot"
export const BOARD_KINDS: BoardKind[] = ["joint", "foot"]

/** the value of a --board option, or an error naming the accepted kinds */
export function boardKindOption(value: string | undefined): BoardKind {
    if (!BOARD_KINDS.includes(value as BoardKind))
        throw new UsageError(`--board '${value ?? ""}' is not accepted; accepted: ${BOARD_KINDS.join(", ")}`)
    return value as BoardKind
}

/** the joints or feet a board of each kind can be provisioned as */
export const BOARD_IDS: Record<BoardKind, string[]> = {
    joint: ROBOT_JOINTS.map(j => j.name),
    foot: ["left_foot", "right_foot"],
}

/** the value of a --joint option for a `kind` board, or an error naming the accepted ids */
export function boardIdOption(kind: BoardKind, value: string | undefined): string {
    if (!BOARD_IDS[kind].includes(value ?? ""))
        throw new UsageError(`--joint '${value ?? ""}' is not accepted for a ${kind} board; accepted: ${BOARD_IDS[kind].join(", ")}`)
    return value!
}

/** the DeviceScript board configuration of each kind (boards/*.board.json) */
export const BOARD_CONFIGS: Record<BoardKind, string> = {
    joint: path.join(REPO_ROOT, "boards", "humanoid_joint.board.json"),
    foot: path.join(REPO_ROOT, "boards", "humanoid_foot.board.json"),
}

/** Product ids of our boards, from their board configurations: what their runtime reports. */
export const PRODUCT_IDS: Record<BoardKind, number> = {
    joint: productIdOf(BOARD_CONFIGS.joint),
    foot: productIdOf(BOARD_CONFIGS.foot),
}

function productIdOf(file: string): number {
    const id = Number(JSON.parse(fs.readFileSync(file, "utf8")).productId)
    if (!Number.isInteger(id)) throw new Error(`${file}: productId is not a number`)
    return id
}

/** DeviceScript Simulator (WASM), runtime/boards/wasm/wasm.board.json upstream */
export const DEVICESCRIPT_SIM_PRODUCT_ID = 0x3fe5b46f

/** What deploy knows of each kind's program: the setting its settings and id are stored in, and the
 * service (services/*.md) whose id register reports the id the running program read. */
export interface BoardProgramSpec {
    settingKey: string
    /** the service's short id and its name in messages */
    service: string
    serviceName: string
    /** the register reporting the stored id, and what that id is called */
    idRegister: string
    idName: string
    /** the stored setting of `id` with validated `values` */
    encode(id: string, values: Record<string, number> | Record<string, number[]>): { id: string }
}

export const BOARD_PROGRAM_SPECS: Record<BoardKind, BoardProgramSpec> = {
    joint: {
        settingKey: JOINT_SETTING_KEY,
        service: "jointactuator",
        serviceName: "joint actuator",
        idRegister: "joint_id",
        idName: "joint id",
        encode: (id, values) => encodeJointSettings(id, values as Record<string, number>),
    },
    foot: {
        settingKey: FOOT_SETTING_KEY,
        service: "footcontact",
        serviceName: "foot contact",
        idRegister: "foot_id",
        idName: "foot id",
        encode: (id, values) => encodeFootSettings(id, values as Record<string, number[]>),
    },
}

/** the service a board kind's program serves to the body controller */
export function programServiceOf(kind: BoardKind): number {
    return customService(BOARD_PROGRAM_SPECS[kind].service).classIdentifier
}

export const hex32 = (n: number) => "0x" + (n >>> 0).toString(16).padStart(8, "0")
