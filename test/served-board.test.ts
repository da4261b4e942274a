// A simulated board served over TCP (hfw sim serve) against what a bench meets: short and malformed
// frames, a client that floods the bus, tools that connect before the board has announced itself.
import { spawn, type ChildProcess } from "node:child_process"
import net from "node:net"
import path from "node:path"
import { afterEach, describe, expect, test } from "vitest"
import { VirtualClock } from "../sim/clock.ts"
import { REPO_ROOT } from "../sim/firmware.ts"
import { IDEAL } from "./helpers.ts"

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
    for (const o of open.splice(0)) await o.close()
})

/** `hfw sim serve` in a child process; resolves once it listens, with its port and its stderr so far */
async function serveInChild(): Promise<{ port: number; stderr: () => string; child: ChildProcess }> {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "tools", "hfw.mjs"), "sim", "serve", "--board", "joint", "--joint", "left_knee", "--port", "0", "--param", IDEAL], {
        cwd: REPO_ROOT,
    })
    let err = ""
    child.stderr!.on("data", d => (err += d))
    open.push({
        close: () =>
            new Promise<void>(resolve => {
                if (child.exitCode !== null || child.signalCode !== null) return resolve()
                child.on("exit", () => resolve())
                child.kill("SIGTERM")
                // a board whose event loop is stuck never handles SIGTERM
                setTimeout(() => child.kill("SIGKILL"), 3000).unref()
            }),
    })
    const port = await new Promise<number>((resolve, reject) => {
        child.stderr!.on("data", () => {
            const m = /on tcp:127\.0\.0\.1:(\d+)/.exec(err)
            if (m) resolve(Number(m[1]))
        })
        child.on("exit", code => reject(new Error(`hfw sim serve exited with ${code}: ${err}`)))
    })
    return { port, stderr: () => err, child }
}

/** a raw TCP client of a served bus: what it sent, and the frames it got */
async function rawClient(port: number) {
    const sock = net.createConnection({ host: "127.0.0.1", port })
    await new Promise<void>((resolve, reject) => {
        sock.once("connect", () => resolve())
        sock.once("error", reject)
    })
    let bytes = 0
    sock.on("data", d => (bytes += d.length))
    open.push({ close: async () => void sock.destroy() })
    return { sock, received: () => bytes }
}

/** waits until `ok()`, polling every 50 ms, for at most `ms`; resolves with its last answer */
async function waitUntil(ok: () => boolean, ms: number): Promise<boolean> {
    const until = Date.now() + ms
    while (!ok() && Date.now() < until) await new Promise(r => setTimeout(r, 50))
    return ok()
}

describe("the virtual clock", () => {
    test("refuses an event at a time that is not finite, naming it (a NaN would stop time for good)", () => {
        const clock = new VirtualClock()
        expect(() => clock.schedule(NaN, () => {})).toThrow(/at NaN µs: not a finite time/)
        expect(() => clock.after(Infinity, () => {})).toThrow(/at Infinity µs: not a finite time/)
        expect(() => clock.schedule(5, () => {})).not.toThrow()
    })

    test("refuses to run until a time that is not finite", async () => {
        await expect(new VirtualClock().runUntil(NaN)).rejects.toThrow(/at NaN µs: not a finite time/)
    })
})

describe("a served board meets short frames", () => {
    test("a single short frame neither hangs it nor reaches the board; it is said once per client", async () => {
        const served = await serveInChild()
        const bad = await rawClient(served.port)
        // in the development tools' framing: an empty frame, a 1-byte frame, an empty long-form frame
        bad.sock.write(Buffer.from([0x00]))
        bad.sock.write(Buffer.from([0x01, 0x00]))
        bad.sock.write(Buffer.from([0xff, 0x00, 0x00]))
        // a frame whose size byte claims more than it carries
        bad.sock.write(Buffer.from([16, 0, 0, 40, 0, 1, 2, 3, 4, 5, 6, 7, 8, 4, 0, 0, 0]))
        const good = await rawClient(served.port)
        // the board announces itself every 500 ms and sends telemetry: a live board is heard at once
        expect(await waitUntil(() => good.received() > 100, 3000)).toBe(true)
        expect(await waitUntil(() => /malformed/.test(served.stderr()), 3000)).toBe(true)
        const lines = served.stderr().split("\n").filter(l => /malformed/.test(l))
        expect(lines).toHaveLength(1)
        expect(lines[0]).toMatch(/dropped a malformed frame from client tcp1 \(127\.0\.0\.1:\d+\): 0 bytes, shorter than a Jacdac frame header \(12 bytes\)/)
        bad.sock.destroy()
        expect(await waitUntil(() => /client tcp1 .*left: 4 malformed frame\(s\) dropped/.test(served.stderr()), 3000)).toBe(true)
    }, 30_000)
})
