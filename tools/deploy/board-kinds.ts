// Which kind of board a device is. A real board's runtime reports the product id of its board
// configuration (boards/*.board.json). DeviceScript's WASM VM, which the simulator runs, always
// reports the DeviceScript simulator's product id, so a simulated board's kind is read from the
// services its program serves.
import fs from "node:fs"
import path from "node:path"
import { REPO_ROOT } from "../../sim/firmware.ts"
import { customService } from "../../sim/services.ts"
import { UsageError } from "../../sim/errors.ts"

export type BoardKind = "joint" | "foot"
export const BOARD_KINDS: BoardKind[] = ["joint", "foot"]

/** the value of a --board option, or an error naming the accepted kinds */
export function boardKindOption(value: string | undefined): BoardKind {
    if (!BOARD_KINDS.includes(value as BoardKind))
        throw new UsageError(`--board '${value ?? ""}' is not accepted; accepted: ${BOARD_KINDS.join(", ")}`)
    return value as BoardKind
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

/** the service a board kind's program serves to the body controller */
export function programServiceOf(kind: BoardKind): number | undefined {
    if (kind === "joint") return customService("jointactuator").classIdentifier
    return undefined // TODO: the foot contact service, when services/footcontact.md lands
}

export const hex32 = (n: number) => "0x" + (n >>> 0).toString(16).padStart(8, "0")
