// The hfw command run as a user runs it, in a child process; and the TCP servers the tests play.
import { spawn, spawnSync } from "node:child_process"
import net from "node:net"
import path from "node:path"
import { expect } from "vitest"
import { REPO_ROOT } from "../sim/firmware.ts"

/** hfw in a child process, this one waiting */
export const hfw = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO_ROOT, "tools", "hfw.mjs"), ...args], { cwd: REPO_ROOT, encoding: "utf8" })

/** hfw in a child process while this one's event loop runs (for servers the test plays) */
export const hfwAsync = (...args: string[]) =>
    new Promise<{ status: number | null; stderr: string }>(resolve => {
        const child = spawn(process.execPath, [path.join(REPO_ROOT, "tools", "hfw.mjs"), ...args], { cwd: REPO_ROOT })
        let stderr = ""
        child.stderr.on("data", d => (stderr += d))
        child.on("close", status => resolve({ status, stderr }))
    })

/** a TCP server on a free port of 127.0.0.1, answering each connection with `onSocket` */
export async function tcpServer(onSocket: (sock: net.Socket) => void = () => {}): Promise<{ port: number; close(): Promise<void> }> {
    const sockets = new Set<net.Socket>()
    const server = net.createServer(sock => {
        sockets.add(sock)
        sock.on("error", () => {})
        sock.on("close", () => sockets.delete(sock))
        onSocket(sock)
    })
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve))
    const port = (server.address() as net.AddressInfo).port
    return {
        port,
        close: () =>
            new Promise<void>(resolve => {
                for (const s of sockets) s.destroy()
                server.close(() => resolve())
            }),
    }
}

export const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at \S+ \(/)
