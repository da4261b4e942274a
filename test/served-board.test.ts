// A simulated board served over TCP (hfw sim serve) against what a bench meets: short and malformed
// frames, a client that floods the bus, tools that connect before the board has announced itself.
import { spawn, type ChildProcess } from "node:child_process"
import net from "node:net"
import path from "node:path"
import { afterEach, describe, expect, test } from "vitest"
import { crc } from "jacdac-ts"
import { VirtualClock } from "../sim/clock.ts"
import { MAX_CATCH_UP_MS, paceToWallClock } from "../sim/realtime.ts"
import { wireFrameProblem } from "../sim/bus/segment.ts"
import { REPO_ROOT } from "../sim/firmware.ts"
import { encodeStreamFrame, StreamFrameDecoder } from "../sim/net/frame-stream.ts"
import { serveJointBoard } from "../sim/serve/served-joint.ts"
import { serverDeviceIdOf } from "../sim/vm/board-vm.ts"
import { openBusTarget, tcpTransport } from "../tools/bench/targets.ts"
import { readJointSettingsFile } from "../tools/joint-settings-file.ts"
import { settingsFileOf } from "../tools/settings-file.ts"
import { IDEAL, IDEAL_TARGET } from "./helpers.ts"

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
    const frames: Uint8Array[] = []
    const decoder = new StreamFrameDecoder()
    sock.on("data", d => {
        bytes += d.length
        frames.push(...decoder.push(d))
    })
    open.push({ close: async () => void sock.destroy() })
    return { sock, received: () => bytes, frames }
}

/** a valid Jacdac command frame to device `deviceId` (16 hex digits): one packet of 4 data bytes */
function commandFrame(deviceId: string, n: number): Uint8Array {
    const f = new Uint8Array(20)
    f[2] = 8 // one packet: 4 header bytes and 4 data bytes
    f[3] = 0x01 // a command
    f.set(Buffer.from(deviceId, "hex"), 4)
    f.set([4, 5, 0x80, 0x00], 12)
    new DataView(f.buffer).setUint32(16, n, true)
    const c = crc(f.subarray(2))
    f[0] = c & 0xff
    f[1] = c >> 8
    return f
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

describe("a served board with several clients", () => {
    test("a client that floods the bus reaches the board and the others at most a queue's worth ahead of the wire; garbage reaches nobody", async () => {
        const notices: string[] = []
        const served = await serveJointBoard({ name: "bench", actuator: "large", port: 0, target: IDEAL_TARGET, onNotice: l => notices.push(l) })
        open.push(served)
        const watcher = await rawClient(served.port)
        const flooder = await rawClient(served.port)
        const target = "0123456789abcdef" // no such device: what the flood says is beside the point
        const sent = 3000 // 20-byte frames: 0.78 s of the wire at 1 Mbit/s
        flooder.sock.write(Buffer.concat(Array.from({ length: sent }, (_, i) => encodeStreamFrame(commandFrame(target, i)))))
        flooder.sock.write(Buffer.concat([0, 1, 5, 11].map(n => encodeStreamFrame(new Uint8Array(n).fill(0x5a)))))
        const fromFlooder = () => watcher.frames.filter(f => Buffer.from(f.subarray(4, 12)).toString("hex") === target).length
        // long enough for the wire to have carried the whole flood, were it queued
        await new Promise(r => setTimeout(r, 1500))
        expect(fromFlooder()).toBeGreaterThan(0) // the bus is shared: what is admitted is seen
        expect(fromFlooder()).toBeLessThan(sent / 10) // 20 ms of wire time is ~77 of these frames
        expect(watcher.frames.filter(f => wireFrameProblem(f)).length).toBe(0)
        expect(watcher.frames.length - fromFlooder()).toBeGreaterThan(0) // the board's own frames
        expect(notices.filter(l => /sends faster than the bus carries/.test(l))).toHaveLength(1)
        expect(notices.filter(l => /dropped a malformed frame/.test(l))).toHaveLength(1)
    }, 30_000)
})

/**
 * A TCP proxy to a served bus that drops the frames `hold(frame)` picks on their way to the client:
 * a board that has not announced itself yet, as a tool connecting at that moment sees it.
 */
async function filteringProxy(port: number, hold: (frame: Uint8Array) => boolean): Promise<number> {
    const server = net.createServer(client => {
        const upstream = net.createConnection({ host: "127.0.0.1", port })
        const decoder = new StreamFrameDecoder()
        upstream.on("data", d => {
            for (const f of decoder.push(d)) if (!hold(f)) client.write(encodeStreamFrame(f))
        })
        client.on("data", d => upstream.write(d))
        const end = () => {
            client.destroy()
            upstream.destroy()
        }
        client.on("close", end)
        upstream.on("close", end)
        client.on("error", end)
        upstream.on("error", end)
    })
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve))
    open.push({ close: () => new Promise<void>(resolve => server.close(() => resolve())) })
    return (server.address() as net.AddressInfo).port
}

const fromDevice = (f: Uint8Array) => Buffer.from(f.subarray(4, 12)).toString("hex")

describe("hfw bench over TCP finds the board", () => {
    const provisioned = () => readJointSettingsFile(settingsFileOf("left_knee"))

    test("when the joint's program announces itself before its board (the DeviceScript manager) does", async () => {
        const served = await serveJointBoard({ name: "bench", actuator: "large", provisioned: provisioned(), port: 0, target: IDEAL_TARGET })
        open.push(served)
        const board = served.board.vm.deviceId
        const t0 = Date.now()
        // the board device's frames are held for its first two announces; the program's pass
        const port = await filteringProxy(served.port, f => fromDevice(f) === board && Date.now() - t0 < 1200)
        const session = await openBusTarget(`tcp:127.0.0.1:${port}`, tcpTransport("127.0.0.1", port))
        try {
            expect(session.identity.jointId).toBe("left_knee")
            expect(session.identity.deviceId).toBe(serverDeviceIdOf(board))
            expect(session.identity.programSha256).toMatch(/^[0-9a-f]{64}$/)
        } finally {
            await session.close()
        }
    }, 30_000)

    test("says which device never announced itself when the board stays silent", async () => {
        const served = await serveJointBoard({ name: "bench", actuator: "large", provisioned: provisioned(), port: 0, target: IDEAL_TARGET })
        open.push(served)
        const board = served.board.vm.deviceId
        const port = await filteringProxy(served.port, f => fromDevice(f) === board)
        const target = `tcp:127.0.0.1:${port}`
        await expect(openBusTarget(target, tcpTransport("127.0.0.1", port))).rejects.toThrow(
            `the joint program ${serverDeviceIdOf(board)} answers on ${target}, but its board (the DeviceScript manager, device ${board}) did not announce itself (waited 3 s)`
        )
    }, 30_000)
})

describe("the wall-clock pacer of a served board", () => {
    test("follows the wall clock, and pauses through a host stall instead of leaping over it", async () => {
        const clock = new VirtualClock()
        let wallMs = 1000
        const pacer = paceToWallClock(clock, e => {
            throw e
        }, () => wallMs)
        const reached = async (ms: number) => {
            while (clock.nowMs < ms) await new Promise(r => setTimeout(r, 1))
        }
        try {
            wallMs += 10
            await reached(10)
            // the host stalls for half a second: the board runs one catch-up, then is behind by the rest
            wallMs += 500
            await reached(10 + MAX_CATCH_UP_MS)
            await new Promise(r => setTimeout(r, 20))
            expect(clock.nowMs).toBe(10 + MAX_CATCH_UP_MS)
            wallMs += 5
            await reached(15 + MAX_CATCH_UP_MS)
            await new Promise(r => setTimeout(r, 20))
            expect(clock.nowMs).toBe(15 + MAX_CATCH_UP_MS)
        } finally {
            await pacer.stop()
        }
    })
})
