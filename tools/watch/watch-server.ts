// `hfw watch`'s local server, on 127.0.0.1 only: the page at /, the samples and events pushed to every
// open page over a WebSocket at /live (the `ws` package), and /record/start, /record/stop, which
// record the samples and events shown into an MCAP file (sim/trace.ts) in the output folder.
import http from "node:http"
import path from "node:path"
import { WebSocketServer, WebSocket } from "ws"
import { TraceRecorder, type TraceTopic } from "../../sim/trace.ts"
import { traceMcapBytes } from "../../sim/trace-files.ts"
import { writeFileAtomic } from "../../sim/files.ts"
import type { PageMessage } from "./watch-page.ts"

export interface WatchServer {
    port: number
    /** a sample: shown, and recorded while recording (`values` in the order of `fields`) */
    sample(tS: number, rateHz: number, values: readonly number[], status: Record<string, string>): void
    /** an event: a marker on the page, and recorded while recording */
    event(tS: number, label: string, values: readonly number[]): void
    close(): Promise<void>
}

/** a recorded channel: its name ("left_knee/telemetry") and numeric fields */
export interface WatchChannel {
    topic: string
    fields: readonly string[]
}

export interface WatchServerOptions {
    port: number
    html: string
    samples: WatchChannel
    events?: WatchChannel
    outDir: string
}

interface Recording {
    trace: TraceRecorder
    samples: TraceTopic
    events?: TraceTopic
}

/** MCAP times are unsigned: a sample taken just before the watch began is recorded at its start */
const recordUs = (tS: number) => Math.max(0, Math.round(tS * 1e6))

export async function startWatchServer(o: WatchServerOptions): Promise<WatchServer> {
    let recording: Recording | undefined
    const server = http.createServer((req, res) => {
        const json = (v: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(v))
        if (req.method === "GET" && req.url === "/") return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(o.html)
        if (req.method === "POST" && req.url === "/record/start") {
            const trace = new TraceRecorder()
            const samples = trace.topic(o.samples.topic, o.samples.fields)
            recording = { trace, samples, events: o.events && trace.topic(o.events.topic, o.events.fields, { events: true }) }
            return json({ recording: true })
        }
        if (req.method === "POST" && req.url === "/record/stop" && recording) {
            const r = recording
            recording = undefined
            const file = path.join(o.outDir, `watch-${new Date().toISOString().replace(/[:.]/g, "-")}.mcap`)
            const messages = r.samples.count + (r.events?.count ?? 0)
            void traceMcapBytes(r.trace).then(
                bytes => (writeFileAtomic(file, bytes), json({ recording: false, file, messages })),
                e => res.writeHead(500).end(String(e))
            )
            return
        }
        res.writeHead(404).end()
    })
    const wss = new WebSocketServer({ server, path: "/live" })
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject)
        server.listen(o.port, "127.0.0.1", resolve)
    })
    const broadcast = (m: PageMessage) => {
        const text = JSON.stringify(m)
        for (const c of wss.clients) if (c.readyState === WebSocket.OPEN) c.send(text)
    }
    return {
        port: (server.address() as { port: number }).port,
        sample(tS, rateHz, values, status) {
            if (recording) recording.trace.record(recording.samples, recordUs(tS), values)
            broadcast({ type: "sample", tS, rateHz, values: Object.fromEntries(o.samples.fields.map((f, k) => [f, values[k]])), status })
        },
        event(tS, label, values) {
            if (recording?.events) recording.trace.record(recording.events, recordUs(tS), values)
            broadcast({ type: "event", tS, label })
        },
        async close() {
            for (const c of wss.clients) c.terminate()
            await new Promise(resolve => wss.close(resolve))
            await new Promise(resolve => server.close(resolve))
        },
    }
}
