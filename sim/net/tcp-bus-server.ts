// Serves a jacdac-ts bus to other programs over TCP, as `devs devtools` serves the bus of a board it
// bridges: every frame on the bus goes to every connected client, and a client's frames go onto the
// bus (and so to the other clients), in the development tools' framing (frame-stream.ts).
import { CommandError } from "../errors.ts"
import net from "node:net"
import { JDBridge, type JDBus, type JDFrameBuffer } from "jacdac-ts"
import { encodeStreamFrame, StreamFrameDecoder } from "./frame-stream.ts"

class SocketBridge extends JDBridge {
    constructor(
        readonly sock: net.Socket,
        name: string
    ) {
        super(name, false)
    }
    protected sendPacket(frame: Uint8Array): void {
        if (!this.sock.destroyed) this.sock.write(encodeStreamFrame(frame))
    }
}

export interface TcpBusServer {
    host: string
    port: number
    clients(): number
    close(): Promise<void>
}

/** Listens on host:port (port 0: a free one, see `port` of the result). */
export function serveBusOverTcp(bus: JDBus, port: number, host = "127.0.0.1"): Promise<TcpBusServer> {
    const bridges = new Set<SocketBridge>()
    let next = 0
    const server = net.createServer(sock => {
        sock.setNoDelay(true)
        const bridge = new SocketBridge(sock, `tcp${++next}`)
        bridge.bus = bus
        bridges.add(bridge)
        const decoder = new StreamFrameDecoder()
        sock.on("data", chunk => {
            for (const frame of decoder.push(chunk)) bridge.receiveFrameOrPacket(frame as JDFrameBuffer)
        })
        const drop = () => {
            if (!bridges.delete(bridge)) return
            ;(bridge as { bus: JDBus | undefined }).bus = undefined
        }
        sock.on("close", drop)
        sock.on("error", drop)
    })
    return new Promise((resolve, reject) => {
        server.once("error", (e: NodeJS.ErrnoException) => {
            const why =
                e.code === "EADDRINUSE"
                    ? `port ${port} is in use (another hfw sim serve, or devs devtools?): choose another --port, or --port 0 for a free one`
                    : e.message
            reject(new CommandError(`cannot listen on ${host}:${port}: ${why}`))
        })
        server.listen(port, host, () => {
            const actual = (server.address() as net.AddressInfo).port
            resolve({
                host,
                port: actual,
                clients: () => bridges.size,
                close: () =>
                    new Promise<void>(done => {
                        for (const b of bridges) b.sock.destroy()
                        server.close(() => done())
                    }),
            })
        })
    })
}
