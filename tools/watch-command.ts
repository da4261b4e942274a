// `hfw watch --target sim|tcp:HOST:PORT|serial:DEVICE [--joint ID] [--port P] [--out DIR]`: a live
// local page (127.0.0.1 only) of one joint board's telemetry as it arrives. Read-only: it connects,
// reads the board's identity and listens; it never sends the board a command. `--target sim` serves a
// simulated joint board in this process (as `hfw sim serve` does) and watches it over TCP like any
// other. Foot boards are not watched yet.
import { UsageError } from "../sim/errors.ts"
import { enumName } from "../sim/services.ts"
import { ROBOT_JOINTS } from "../sim/robot/joints.ts"
import { serveJointBoard } from "../sim/serve/served-joint.ts"
import { openBusTarget, parseTarget, tcpTransport, type BenchSession } from "./bench/targets.ts"
import { serialTransport } from "./bench/serial.ts"
import type { Telemetry } from "./bench/bench-joint.ts"
import { parseFlags } from "./options.ts"
import { readBoardSettingsFile } from "./board-settings.ts"
import { settingsFileOf } from "./settings-file.ts"
import type { JointSettings } from "../devs/joint/settings-schema.ts"
import { startWatchServer, type WatchMessage } from "./watch/watch-server.ts"
import { watchPage } from "./watch/watch-page.ts"

export const WATCH_USAGE = "hfw watch --target sim|tcp:HOST:PORT|serial:DEVICE [--joint ID] [--port P] [--out DIR]"

/** the telemetry fields recorded to MCAP, each a number */
export const WATCH_FIELDS = ["currentA", "currentRefA", "angleRad", "velocityRadS", "torqueNm", "windingC", "loopPeriodMeanUs", "loopPeriodP99DevUs", "overruns", "mode", "fault"] as const

/** the update rate is counted over this last stretch of wall-clock time */
const RATE_WINDOW_MS = 1000

export interface WatchOptions {
    target: string
    /** the joint to serve with --target sim (its actuator size) */
    joint?: string
    /** the page's port on 127.0.0.1; 0 picks a free one */
    port: number
    /** where recordings are written */
    outDir: string
}

export interface Watching {
    url: string
    jointId: string
    close(): Promise<void>
}

export async function startWatch(o: WatchOptions): Promise<Watching> {
    const target = parseTarget(o.target)
    const closers: (() => Promise<void>)[] = []
    const close = async () => {
        for (const c of closers.reverse()) await c()
    }
    try {
        let session: BenchSession
        if (target.kind === "sim") {
            const spec = ROBOT_JOINTS.find(j => j.name === (o.joint ?? "left_knee"))
            if (!spec) throw new UsageError(`--joint '${o.joint}' is not accepted; one of ${ROBOT_JOINTS.map(j => j.name).join(", ")}`)
            // provisioned with its settings file, as `hfw sim serve` does: an unprovisioned joint does not run
            const settings = readBoardSettingsFile("joint", settingsFileOf(spec.name))
            const provisioned = { jointId: settings.id, values: settings.values as JointSettings }
            const served = await serveJointBoard({ name: spec.name, actuator: spec.actuator, port: 0, provisioned })
            closers.push(() => served.close())
            session = await openBusTarget(`sim (tcp:127.0.0.1:${served.port})`, tcpTransport("127.0.0.1", served.port))
        } else {
            const transport = target.kind === "tcp" ? tcpTransport(target.host, target.port) : await serialTransport(target.device)
            session = await openBusTarget(o.target, transport)
        }
        closers.push(() => session.close())
        const jointId = session.identity.jointId
        const server = await startWatchServer({
            port: o.port,
            html: watchPage(`hfw watch: joint ${jointId} on ${o.target}`),
            topic: `${jointId}/telemetry`,
            fields: WATCH_FIELDS,
            outDir: o.outDir,
        })
        closers.push(() => server.close())
        const startMs = session.clock.nowMs()
        const recentMs: number[] = []
        session.joint.onTelemetryReport = (t: Telemetry) => {
            recentMs.push(t.tMs)
            while (recentMs[0] < t.tMs - RATE_WINDOW_MS) recentMs.shift()
            const m: WatchMessage = {
                ...Object.fromEntries(WATCH_FIELDS.map(f => [f, t[f]])),
                tS: (t.tMs - startMs) / 1000,
                // reports in the last second, once a second has passed
                rateHz: t.tMs - startMs >= RATE_WINDOW_MS ? (recentMs.length * 1000) / RATE_WINDOW_MS : NaN,
                mode: enumName("jointactuator", "Mode", t.mode),
                fault: t.fault ? enumName("boardfault", "Code", t.fault) : "none",
            }
            server.send(m)
        }
        return { url: `http://127.0.0.1:${server.port}/`, jointId, close }
    } catch (e) {
        await close()
        throw e
    }
}

export async function runWatchCommand(argv: string[]): Promise<number> {
    const values = parseFlags(argv, { target: { type: "string" }, joint: { type: "string" }, port: { type: "string" }, out: { type: "string" } }, WATCH_USAGE)
    if (!values.target) throw new UsageError(`--target is required: ${WATCH_USAGE}`)
    const port = Number(values.port ?? 8090)
    if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError(`--port '${values.port}' is not accepted; a TCP port from 1 to 65535 (0: any free port)`)
    const w = await startWatch({ target: values.target, joint: values.joint, port, outDir: values.out ?? "out/watch" })
    process.stderr.write(`watching joint ${w.jointId} on ${values.target}: open ${w.url} (read-only; Ctrl-C stops)\n`)
    await new Promise<void>(resolve => {
        process.once("SIGINT", resolve)
        process.once("SIGTERM", resolve)
    })
    await w.close()
    return 0
}
