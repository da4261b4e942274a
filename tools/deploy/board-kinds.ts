// Which kind of board a device is. A real board's runtime reports the product id of its board
// configuration (boards/*.board.json). DeviceScript's WASM VM, which the simulator runs, always
// reports the DeviceScript simulator's product id, so a simulated board's kind is read from the
// services its program serves.
import { customService } from "../../sim/services.ts"

export type BoardKind = "joint" | "foot"
export const BOARD_KINDS: BoardKind[] = ["joint", "foot"]

/**
 * Product ids of our boards. TODO: move into boards/joint.board.json and boards/foot.board.json when
 * those are written (`devs add board` draws such an id); these are the ids the runtime will report.
 */
export const PRODUCT_IDS: Record<BoardKind, number> = { joint: 0x3b6d1a27, foot: 0x3c2f58e1 }

/** DeviceScript Simulator (WASM), runtime/boards/wasm/wasm.board.json upstream */
export const DEVICESCRIPT_SIM_PRODUCT_ID = 0x3fe5b46f

/** the service a board kind's program serves to the body controller */
export function programServiceOf(kind: BoardKind): number | undefined {
    if (kind === "joint") return customService("jointactuator").classIdentifier
    return undefined // TODO: the foot contact service, when services/footcontact.md lands
}

export const hex32 = (n: number) => "0x" + (n >>> 0).toString(16).padStart(8, "0")
