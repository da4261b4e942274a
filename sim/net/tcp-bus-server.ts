// Serves a simulated bus segment to other programs over TCP, as `devs devtools` serves the bus of a
// board it bridges, in the development tools' framing (frame-stream.ts). Each client is one more
// device on the bus: the frames it sends go onto the wire, so the board and every other client see
// them (as on a real bus), and every frame on the bus goes to it. What a bench server must not let
// one client do to the others:
// - a frame that is not a Jacdac frame (short, its size byte wrong, a bad CRC) is dropped before the
//   wire, and said once per client (its count when the client leaves);
// - a client, like a device's transmitter, has a bounded queue: frames it sends while more than
//   CLIENT_QUEUE_US of its earlier ones still wait for the wire are dropped (said once), so a flood
//   from one client costs the board and the others at most that much latency and reaches them at
//   no more than the wire's rate;
// - a client that does not read what it is sent is not buffered for without bound: frames for it
//   beyond CLIENT_BACKLOG_BYTES unread are dropped (said once).
import { CommandError } from "../errors.ts"
import net from "node:net"
import { JDBridge, type JDBus, type JDFrameBuffer } from "jacdac-ts"
import { encodeStreamFrame, StreamFrameDecoder } from "./frame-stream.ts"
import { wireFrameProblem, type BusSegment } from "../bus/segment.ts"

/** a client's frames waiting for the wire, in wire time: ~2 full-size frames per ms at 1 Mbit/s */
export const CLIENT_QUEUE_US = 20_000
/** unread bytes a client may have waiting in its socket before frames for it are dropped */
export const CLIENT_BACKLOG_BYTES = 256 * 1024

class SocketBridge extends JDBridge {
    malformed = 0
    overQueue = 0
    unread = 0
    constructor(
        readonly sock: net.Socket,
        readonly label: string,
        private notice: (line: string) => void
    ) {
        super(label, false)
    }
    protected sendPacket(frame: Uint8Array): void {
        if (this.sock.destroyed) return
        if (this.sock.writableLength > CLIENT_BACKLOG_BYTES) {
            if (this.unread++ === 0)
                this.notice(`client ${this.label} does not read what the bus sends it (${CLIENT_BACKLOG_BYTES} bytes unread): frames for it are dropped until it does`)
            return
        }
        this.sock.write(encodeStreamFrame(frame))
    }
}

export interface TcpBusServer {
    host: string
    port: number
    clients(): number
    close(): Promise<void>
}

export interface TcpBusServerOptions {
    host?: string
    /** what the server has to say about its clients (a malformed frame, a flood), one line each */
    onNotice?: (line: string) => void
}

/** Listens on host:port (port 0: a free one, see `port` of the result). */
export function serveBusOverTcp(segment: BusSegment, port: number, opts: TcpBusServerOptions = {}): Promise<TcpBusServer> {
    const host = opts.host ?? "127.0.0.1"
    const notice = opts.onNotice ?? (() => {})
    const bus: JDBus = segment.bus
    const bridges = new Set<SocketBridge>()
    let next = 0
    const server = net.createServer(sock => {
        sock.setNoDelay(true)
        const label = `tcp${++next} (${sock.remoteAddress}:${sock.remotePort})`
        const bridge = new SocketBridge(sock, label, notice)
        bridge.bus = bus
        bridges.add(bridge)
        const decoder = new StreamFrameDecoder()
        sock.on("data", chunk => {
            for (const frame of decoder.push(chunk)) {
                const problem = wireFrameProblem(frame)
                if (problem) {
                    if (bridge.malformed++ === 0)
                        notice(`dropped a malformed frame from client ${label}: ${problem}; more from it are counted, not printed`)
                    continue
                }
                if (segment.queuedUsOf(bridge.bridgeId) > CLIENT_QUEUE_US) {
                    if (bridge.overQueue++ === 0)
                        notice(`client ${label} sends faster than the bus carries (over ${CLIENT_QUEUE_US / 1000} ms of its frames wait for the wire): its frames beyond that are dropped`)
                    continue
                }
                bridge.receiveFrameOrPacket(frame as JDFrameBuffer)
            }
        })
        const drop = () => {
            if (!bridges.delete(bridge)) return
            ;(bridge as { bus: JDBus | undefined }).bus = undefined
            const dropped = [
                bridge.malformed && `${bridge.malformed} malformed frame(s) dropped`,
                bridge.overQueue && `${bridge.overQueue} frame(s) over its queue dropped`,
                bridge.unread && `${bridge.unread} frame(s) for it dropped unread`,
            ].filter(Boolean)
            if (dropped.length) notice(`client ${label} left: ${dropped.join(", ")}`)
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
