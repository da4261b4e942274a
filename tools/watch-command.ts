// `hfw watch --target sim|tcp:HOST:PORT|serial:DEVICE [--joint JOINT|FOOT] [--port P] [--out DIR]`: a
// live local page (127.0.0.1 only) of one board's telemetry as it arrives, a joint board's or a foot
// board's: the kind is the one its program serves (a joint actuator or a foot contact service).
// Read-only: it connects, reads the board's identity, then only listens (its bus goes passive and
// sends nothing at all). `--target sim` serves a simulated board in this process (as `hfw sim serve`
// does: a joint, or with --joint left_foot|right_foot a foot walking in place) and watches it over
// TCP like any other.
import { JDBus, type JDService } from "jacdac-ts"
import { CommandError, UsageError } from "../sim/errors.ts"
import { customService } from "../sim/services.ts"
import { ROBOT_JOINTS } from "../sim/robot/joints.ts"
import { serveJointBoard } from "../sim/serve/served-joint.ts"
import { serveFootBoard } from "../sim/serve/served-foot.ts"
import { openBus, parseTarget, sessionOnBus, tcpTransport } from "./bench/targets.ts"
import { serialTransport } from "./bench/serial.ts"
import { parseFlags } from "./options.ts"
import { readBoardSettingsFile } from "./board-settings.ts"
import { settingsFileOf } from "./settings-file.ts"
import { BOARD_IDS, BOARD_PROGRAM_SPECS, type BoardKind } from "./deploy/board-kinds.ts"
import type { JointSettings } from "../devs/joint/settings-schema.ts"
import type { BoardWatch } from "./watch/board-watch.ts"
import { watchJoint } from "./watch/joint-watch.ts"
import { watchFoot } from "./watch/foot-watch.ts"
import { startWatchServer } from "./watch/watch-server.ts"
import { watchPage } from "./watch/watch-page.ts"

export const WATCH_USAGE = "hfw watch --target sim|tcp:HOST:PORT|serial:DEVICE [--joint JOINT|FOOT] [--port P] [--out DIR]"

/** the update rate is counted over this last stretch of wall-clock time */
const RATE_WINDOW_MS = 1000
/** a board announces itself every 500 ms */
const FIND_TIMEOUT_MS = 3000
const DEFAULT_SIM_BOARD = "left_knee"

export interface WatchOptions {
    target: string
    /** the joint or foot to serve with --target sim */
    joint?: string
    /** the page's port on 127.0.0.1; 0 picks a free one */
    port: number
    /** where recordings are written */
    outDir: string
}

export interface Watching {
    url: string
    kind: BoardKind
    /** the joint or foot the board is provisioned as */
    id: string
    close(): Promise<void>
}

export async function startWatch(o: WatchOptions): Promise<Watching> {
    const target = parseTarget(o.target)
    const closers: (() => Promise<void>)[] = []
    const close = async () => {
        for (const c of closers.reverse()) await c()
    }
    try {
        let bus: JDBus
        let shown = o.target
        if (target.kind === "sim") {
            const port = await serveSimBoard(o.joint ?? DEFAULT_SIM_BOARD, closers)
            shown = `sim (tcp:127.0.0.1:${port})`
            bus = await openBus(shown, tcpTransport("127.0.0.1", port))
        } else {
            if (o.joint !== undefined) throw new UsageError(`--joint is for --target sim only: a board on ${o.target} is watched as what it is`)
            bus = await openBus(o.target, target.kind === "tcp" ? tcpTransport(target.host, target.port) : await serialTransport(target.device))
        }
        const board = await boardOnBus(bus, shown)
        closers.push(() => board.close())
        // from here on the watch only listens: no register polls, no announces, nothing sent
        bus.passive = true
        const server = await startWatchServer({
            port: o.port,
            html: watchPage(`hfw watch: ${board.kind} ${board.id} on ${o.target}`, board),
            samples: { topic: board.topic, fields: board.fields },
            events: board.events,
            outDir: o.outDir,
        })
        closers.push(() => server.close())
        const startMs = performance.now()
        const recentMs: number[] = []
        board.onSample = s => {
            const nowMs = performance.now()
            recentMs.push(nowMs)
            while (recentMs[0] < nowMs - RATE_WINDOW_MS) recentMs.shift()
            // samples that arrived in the last second, once a second has passed
            const rateHz = nowMs - startMs >= RATE_WINDOW_MS ? (recentMs.length * 1000) / RATE_WINDOW_MS : NaN
            server.sample((s.tMs - startMs) / 1000, rateHz, s.values, s.status)
        }
        board.onEvent = e => server.event((e.tMs - startMs) / 1000, e.label, e.values)
        return { url: `http://127.0.0.1:${server.port}/`, kind: board.kind, id: board.id, close }
    } catch (e) {
        await close()
        throw e
    }
}

/** Serves the simulated joint or foot `id` on a free port, provisioned with its settings file as `hfw sim serve` does. */
async function serveSimBoard(id: string, closers: (() => Promise<void>)[]): Promise<number> {
    const kind = (Object.keys(BOARD_IDS) as BoardKind[]).find(k => BOARD_IDS[k].includes(id))
    if (!kind) throw new UsageError(`--joint '${id}' is not accepted; a joint (${BOARD_IDS.joint.join(", ")}) or a foot (${BOARD_IDS.foot.join(", ")})`)
    // an unprovisioned board does not run its control: serve it with its settings
    const settings = readBoardSettingsFile(kind, settingsFileOf(id))
    const served =
        kind === "joint"
            ? await serveJointBoard({
                  name: id,
                  actuator: ROBOT_JOINTS.find(j => j.name === id)!.actuator,
                  port: 0,
                  provisioned: { jointId: settings.id, values: settings.values as JointSettings },
              })
            : await serveFootBoard({ name: id, port: 0, provisioned: { footId: settings.id, values: settings.values as Record<string, number[]> } })
    closers.push(() => served.close())
    return served.port
}

/** The one joint or foot board on `bus`, by the service its program serves, watched. */
async function boardOnBus(bus: JDBus, target: string): Promise<BoardWatch> {
    const kinds = Object.keys(BOARD_PROGRAM_SPECS) as BoardKind[]
    const classOf = (k: BoardKind) => customService(BOARD_PROGRAM_SPECS[k].service).classIdentifier
    const until = performance.now() + FIND_TIMEOUT_MS
    for (;;) {
        const found = kinds.flatMap(kind => bus.services({ serviceClass: classOf(kind) }).map(service => ({ kind, service })))
        if (found.length > 1) {
            await bus.dispose()
            throw new CommandError(`${found.length} boards answer on ${target} (${found.map(f => `a ${f.kind} board`).join(", ")}); hfw watch shows one`)
        }
        if (found.length === 1) return watchBoard(bus, found[0].kind, found[0].service, target)
        if (performance.now() > until) {
            await bus.dispose()
            throw new CommandError(
                `no joint or foot board answers on ${target} (waited ${FIND_TIMEOUT_MS / 1000} s): is a board there, powered and running its program (hfw deploy)?`
            )
        }
        await new Promise(resolve => setTimeout(resolve, 50))
    }
}

async function watchBoard(bus: JDBus, kind: BoardKind, service: JDService, target: string): Promise<BoardWatch> {
    if (kind === "joint") return watchJoint(await sessionOnBus(bus, target))
    try {
        return await watchFoot(bus, service)
    } catch (e) {
        await bus.dispose()
        throw e
    }
}

export async function runWatchCommand(argv: string[]): Promise<number> {
    const values = parseFlags(argv, { target: { type: "string" }, joint: { type: "string" }, port: { type: "string" }, out: { type: "string" } }, WATCH_USAGE)
    if (!values.target) throw new UsageError(`--target is required: ${WATCH_USAGE}`)
    const port = Number(values.port ?? 8090)
    if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError(`--port '${values.port}' is not accepted; a TCP port from 1 to 65535 (0: any free port)`)
    const w = await startWatch({ target: values.target, joint: values.joint, port, outDir: values.out ?? "out/watch" })
    process.stderr.write(`watching ${w.kind} ${w.id} on ${values.target}: open ${w.url} (read-only; Ctrl-C stops)\n`)
    await new Promise<void>(resolve => {
        process.once("SIGINT", resolve)
        process.once("SIGTERM", resolve)
    })
    await w.close()
    return 0
}
