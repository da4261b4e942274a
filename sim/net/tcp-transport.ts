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
            sock.once("connect", () => {
                this.lastConnectError = undefined
                resolve()
            })
            sock.once("error", (e: NodeJS.ErrnoException) => {
                this.lastConnectError = connectErrorText(e)
                reject(new Error(`cannot connect to tcp:${this.host}:${this.port}: ${this.lastConnectError}`))
            })
            sock.on("data", chunk => {
                for (const frame of decoder.push(chunk)) this.handleFrame(frame)
            })
            sock.on("close", () => {
                if (this.sock === sock) void this.disconnect(true)
            })
        })
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
