// A jacdac-ts transport to a Jacdac bus served over TCP with the development tools' framing
// (frame-stream.ts): `devs devtools` bridging a real board, or `hfw sim serve`. jacdac-ts has its own
// (createNodeSocketTransport), but it loads `net` with a dynamic require that fails under ES modules.
import net from "node:net"
import { Transport } from "jacdac-ts"
import { encodeStreamFrame, StreamFrameDecoder } from "./frame-stream.ts"

export class TcpFrameTransport extends Transport {
    private sock: net.Socket | undefined
    /** why the last connection attempt failed (jacdac-ts' bus keeps only that it did) */
    lastConnectError: string | undefined
    /** why an established connection ended without our asking; undefined while it lasts */
    lostWhy: string | undefined
    private lostHooks: ((why: string) => void)[] = []

    constructor(
        readonly host: string,
        readonly port: number
    ) {
        super("tcp", { checkPulse: false })
    }

    description() {
        return `tcp:${this.host}:${this.port}`
    }

    protected transportConnectAsync(): Promise<void> {
        return new Promise((resolve, reject) => {
            const decoder = new StreamFrameDecoder()
            const sock = net.createConnection({ host: this.host, port: this.port })
            this.sock = sock
            sock.setNoDelay(true)
            let connected = false
            let error: string | undefined
            sock.once("connect", () => {
                connected = true
                this.lastConnectError = undefined
                this.lostWhy = undefined
                resolve()
            })
            sock.on("error", (e: NodeJS.ErrnoException) => {
                error = e.code ?? e.message
                if (connected) return
                this.lastConnectError = connectErrorText(e)
                reject(new Error(`cannot connect to tcp:${this.host}:${this.port}: ${this.lastConnectError}`))
            })
            sock.on("data", chunk => {
                for (const frame of decoder.push(chunk)) this.handleFrame(frame)
            })
            sock.on("close", () => {
                if (this.sock !== sock) return // we closed it
                if (connected) {
                    this.lostWhy = lostText(error)
                    for (const hook of this.lostHooks) hook(this.lostWhy)
                }
                void this.disconnect(true)
            })
        })
    }

    /** `hook(why)` runs when an established connection ends without our asking (a cable, a peer gone) */
    onLost(hook: (why: string) => void) {
        this.lostHooks.push(hook)
    }

    protected async transportSendPacketAsync(frame: Uint8Array): Promise<void> {
        this.sock?.write(encodeStreamFrame(frame))
    }

    protected async transportDisconnectAsync(): Promise<void> {
        const sock = this.sock
        this.sock = undefined
        sock?.destroy()
    }
}

/**
 * Why an established connection ended, from the socket's last error code (none: the other end closed
 * it). A write that meets the other end's close fails with EPIPE or ECONNRESET before the close is seen:
 * which comes first is a race, and both say the other end closed it (a killed bridge, `hfw sim serve`
 * stopped), not that the link broke.
 */
export function lostText(errorCode: string | undefined): string {
    if (errorCode === undefined) return "the other end closed the connection"
    if (errorCode === "EPIPE" || errorCode === "ECONNRESET") return `the other end closed the connection (${errorCode})`
    return `the connection broke (${errorCode})`
}

function connectErrorText(e: NodeJS.ErrnoException): string {
    if (e.code === "ECONNREFUSED") return "nothing listens there (connection refused)"
    if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") return "no such host"
    if (e.code === "ETIMEDOUT" || e.code === "EHOSTUNREACH") return "the host does not answer"
    return e.message
}

/** "tcp:HOST:PORT" -> host and port; anything else is refused with the accepted form */
export function parseTcpTarget(target: string): { host: string; port: number } {
    const m = /^tcp:([^:]+):(\d+)$/.exec(target)
    const port = m ? Number(m[2]) : NaN
    if (!m || !(port > 0 && port < 65536)) throw new Error(`target '${target}' is not accepted; accepted: tcp:HOST:PORT (a port from 1 to 65535)`)
    return { host: m[1], port }
}
