// A TCP relay to a served board that a test can cut or act on frame by frame: what a pulled cable, a
// killed bridge or a board losing power mid-transfer look like to a tool.
import net from "node:net"
import { StreamFrameDecoder } from "../sim/net/frame-stream.ts"

export interface FrameRelay {
    port: number
    /** cuts the relay both ways at once, as a pulled cable or a killed bridge does */
    cut(): void
    close(): Promise<void>
}

/**
 * Relays 127.0.0.1:`port`, frame by frame, so a cut falls between two frames; `beforeFrame` sees each
 * frame from the client before it is passed on, and may act (a cut then falls before it).
 */
export async function frameRelay(port: number, beforeFrame: (frame: Uint8Array) => void = () => {}): Promise<FrameRelay> {
    const pairs: net.Socket[] = []
    let cut = false
    const cutNow = () => {
        cut = true
        for (const s of pairs) s.destroy()
    }
    const server = net.createServer(client => {
        if (cut) return void client.destroy()
        const upstream = net.createConnection({ host: "127.0.0.1", port })
        pairs.push(client, upstream)
        const decoder = new StreamFrameDecoder()
        client.on("data", chunk => {
            for (const f of decoder.push(chunk)) {
                if (cut) return
                beforeFrame(f)
                if (cut) return
                upstream.write(Buffer.concat([Buffer.from([f.length]), f]))
            }
        })
        upstream.on("data", d => cut || client.write(d))
        for (const s of [client, upstream]) {
            s.on("error", () => {})
            s.on("close", () => {
                client.destroy()
                upstream.destroy()
            })
        }
    })
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve))
    return {
        port: (server.address() as net.AddressInfo).port,
        cut: cutNow,
        close: () => new Promise<void>(resolve => server.close(() => resolve())),
    }
}

/** a frame to a board's pipe (jacdac-ts' OutPipe: a program's bytes, 224 to a packet) */
export const isPipeData = (f: Uint8Array) => (f[3] & 1) === 1 && f[13] === 0x3e && f[12] > 0
