// `hfw watch`'s local server, on 127.0.0.1 only: the page at /, the telemetry pushed to every open
// page over a WebSocket at /live (the `ws` package), and /record/start, /record/stop, which record the
// messages shown into an MCAP file (sim/trace.ts) in the output folder.
import http from "node:http"
import path from "node:path"
import { WebSocketServer, WebSocket } from "ws"
import { TraceRecorder, type TraceTopic } from "../../sim/trace.ts"
import { writeFileAtomic } from "../../sim/files.ts"

/** one telemetry message as the page gets it: numbers by field name, mode and fault by name */
export type WatchMessage = { tS: number; rateHz: number; mode: string; fault: string } & Record<string, number | string>

export interface WatchServer {
    port: number
    send(m: WatchMessage): void
    close(): Promise<void>
}

export interface WatchServerOptions {
    port: number
    html: string
    /** the recorded channel's name ("left_knee/telemetry") and numeric fields */
    topic: string
    fields: readonly string[]
    outDir: string
}

export async function startWatchServer(o: WatchServerOptions): Promise<WatchServer> {
    let recorder: { trace: TraceRecorder; topic: TraceTopic } | undefined
    const server = http.createServer((req, res) => {
        const json = (v: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(v))
        if (req.method === "GET" && req.url === "/") return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(o.html)
        if (req.method === "POST" && req.url === "/record/start") {
            const trace = new TraceRecorder()
            recorder = { trace, topic: trace.topic(o.topic, o.fields) }
            return json({ recording: true })
        }
        if (req.method === "POST" && req.url === "/record/stop" && recorder) {
            const r = recorder
            recorder = undefined
            const file = path.join(o.outDir, `watch-${new Date().toISOString().replace(/[:.]/g, "-")}.mcap`)
            void r.trace.toMcap().then(
                bytes => (writeFileAtomic(file, bytes), json({ recording: false, file, messages: r.topic.count })),
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
    return {
        port: (server.address() as { port: number }).port,
        send(m) {
            if (recorder) recorder.trace.record(recorder.topic, Math.round(m.tS * 1e6), o.fields.map(f => Number(m[f])))
            const text = JSON.stringify(m)
            for (const c of wss.clients) if (c.readyState === WebSocket.OPEN) c.send(text)
        },
        async close() {
            for (const c of wss.clients) c.terminate()
            await new Promise(resolve => wss.close(resolve))
            await new Promise(resolve => server.close(resolve))
        },
    }
}
