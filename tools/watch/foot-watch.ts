// A foot board as `hfw watch` shows it: the foot contact service's reading report (every 40 ms) and
// its touchdown and liftoff events (services/footcontact.md), heard on the bus without asking for
// anything once the foot id and the cells' positions are read. Each report and event is timed at its sample: the board's
// microsecond stamp on the watch's clock (BoardClock: the stamp plus the fastest delivery seen), so
// the events' markers stand where the force crossed the threshold, not where the packet arrived.
import { PACKET_PROCESS, SRV_DEVICE_SCRIPT_MANAGER, jdunpack, type JDBus, type JDService, type Packet } from "jacdac-ts"
import { CELL_RATED_N, CELLS } from "../../devs/foot/config.ts"
import { FOOT_SETTING_KEY, FOOT_SETTINGS, firstInvalidFootSetting } from "../../devs/foot/settings-schema.ts"
import { BoardClock } from "../../sim/robot/board-clock.ts"
import { CommandError } from "../../sim/errors.ts"
import { customService, enumName, servicePacket } from "../../sim/services.ts"
import { serverDeviceIdOf } from "../../sim/vm/board-vm.ts"
import { readRegister, readSetting, settingsOf } from "../deploy/board-link.ts"
import { withRetries } from "../bench/bench-joint.ts"
import type { BoardWatch, WatchPlot } from "./board-watch.ts"

const CONTACT = servicePacket("footcontact", "contact")
const TOUCHDOWN = servicePacket("footcontact", "touchdown")
const LIFTOFF = servicePacket("footcontact", "liftoff")
const FOOT_ID = servicePacket("footcontact", "foot_id")

/** the reading report's fields as recorded to MCAP, in the report's order (state and flags as their codes) */
export const FOOT_FIELDS = ["boardTimestampUs", "totalForceN", "copXMm", "copYMm", "cell0N", "cell1N", "cell2N", "cell3N", "state", "flags", "healthyCells"] as const
/** a touchdown or liftoff as recorded: which, the board's stamp of its sample, the force when confirmed */
export const FOOT_EVENT_FIELDS = ["touchdown", "boardTimestampUs", "forceN"] as const

/** the contact states by value, as the service defines them */
const stateNames = () => {
    const members = customService("footcontact").enums.State.members
    return Object.keys(members).sort((a, b) => members[a] - members[b])
}

export const footPlots = (): readonly WatchPlot[] => [
    { title: "total force", yLabel: "force (N)", fields: ["totalForceN"], events: true },
    { title: "cell forces", yLabel: "force (N)", fields: ["cell0N", "cell1N", "cell2N", "cell3N"], labels: ["0 heel outer", "1 heel inner", "2 toe outer", "3 toe inner"] },
    { title: "centre of pressure", yLabel: "position (mm)", fields: ["copXMm", "copYMm"], labels: ["x (toe +)", "y (outer +)"] },
    { title: "contact state", yLabel: "state", fields: ["state"], lanes: stateNames(), events: true },
]

/** the set flags by name ("CopValid, Zeroing"), or "none" */
export function flagNames(flags: number): string {
    const members = customService("footcontact").enums.Flags.members
    const set = Object.entries(members).filter(([, bit]) => flags & bit).map(([name]) => name)
    return set.length ? set.join(", ") : "none"
}

/** the healthy cells ("4 of 4", or "3 of 4: 0 1 3") */
export function healthyText(healthy: number): string {
    const cells = [...Array(CELLS).keys()].filter(i => healthy & (1 << i))
    return cells.length === CELLS ? `${CELLS} of ${CELLS}` : `${cells.length} of ${CELLS}: ${cells.join(" ") || "none"}`
}

/**
 * The cell positions the board computes its centre of pressure with: its stored settings' (read from
 * the board, as hfw deploy wrote them), or the reference sole's when none are stored or they are
 * invalid (the firmware falls back to it then, devs/foot/settings.ts).
 */
async function cellPositions(contact: JDService): Promise<{ xMm: number[]; yMm: number[] }> {
    const bus = contact.device.bus
    const board = bus.devices({ serviceClass: SRV_DEVICE_SCRIPT_MANAGER }).find(d => serverDeviceIdOf(d.deviceId) === contact.device.deviceId)
    if (!board) throw new CommandError(`the foot's board (its DeviceScript manager) does not answer on the bus`)
    const text = await withRetries("reading the foot's settings", () => readSetting(settingsOf(board), FOOT_SETTING_KEY))
    let stored: { v?: unknown } | undefined
    try {
        stored = text === undefined ? undefined : JSON.parse(text)
    } catch {
        throw new CommandError(`the foot's '${FOOT_SETTING_KEY}' setting is not JSON: ${text!.slice(0, 60)}`)
    }
    const v = Array.isArray(stored?.v) && firstInvalidFootSetting(stored.v) < 0 ? (stored.v as number[][]) : FOOT_SETTINGS.map(s => s.cells)
    const at = (key: string) => v[FOOT_SETTINGS.findIndex(s => s.key === key)]
    return { xMm: at("cellXMm"), yMm: at("cellYMm") }
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`

/** The foot board whose program serves `contact` on `bus`, watched; closing it disposes of the bus. */
export async function watchFoot(bus: JDBus, contact: JDService): Promise<BoardWatch> {
    const footId = jdunpack<[string]>(await withRetries("reading foot_id", () => readRegister(contact, FOOT_ID.identifier)), "s")[0]
    const cells = await cellPositions(contact)
    const clock = new BoardClock()
    const count = { touchdown: 0, liftoff: 0 }
    const w: BoardWatch = {
        kind: "foot",
        id: footId,
        topic: `${footId}/contact`,
        fields: FOOT_FIELDS,
        events: { topic: `${footId}/events`, fields: FOOT_EVENT_FIELDS },
        plots: footPlots(),
        status: [
            { id: "state", label: "contact" },
            { id: "flags", label: "flags" },
            { id: "healthy", label: "healthy cells" },
            { id: "events", label: "events" },
        ],
        sole: { cellXMm: cells.xMm, cellYMm: cells.yMm, ratedN: CELL_RATED_N },
        close: () => bus.dispose(),
    }
    const deviceId = contact.device.deviceId
    const serviceClass = contact.serviceClass
    bus.on(PACKET_PROCESS, (pkt: Packet) => {
        if (!pkt.isReport || pkt.isRepeatedEvent || pkt.deviceIdentifier !== deviceId || pkt.serviceClass !== serviceClass) return
        const arrivalUs = performance.now() * 1000
        if (pkt.isEvent && (pkt.eventCode === TOUCHDOWN.identifier || pkt.eventCode === LIFTOFF.identifier)) {
            const touchdown = pkt.eventCode === TOUCHDOWN.identifier
            const [stampUs, forceN] = pkt.jdunpack<[number, number]>((touchdown ? TOUCHDOWN : LIFTOFF).packFormat)
            count[touchdown ? "touchdown" : "liftoff"]++
            // an event before any report has no offset yet: its arrival stands for its sample
            const tUs = clock.hostUs(stampUs) ?? arrivalUs
            w.onEvent?.({ tMs: tUs / 1000, label: touchdown ? "TD" : "LO", values: [touchdown ? 1 : 0, stampUs, forceN] })
        } else if (pkt.isRegisterGet && pkt.registerIdentifier === CONTACT.identifier) {
            const r = pkt.jdunpack<number[]>(CONTACT.packFormat)
            clock.observe(r[0], arrivalUs)
            const [state, flags, healthy] = r.slice(8)
            w.onSample?.({
                tMs: clock.hostUs(r[0])! / 1000,
                values: r,
                status: {
                    state: enumName("footcontact", "State", state),
                    flags: flagNames(flags),
                    healthy: healthyText(healthy),
                    events: `${plural(count.touchdown, "touchdown")}, ${plural(count.liftoff, "liftoff")}`,
                },
            })
        }
    })
    return w
}
