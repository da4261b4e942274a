// The development tools' TCP framing, and a served board as jacdac-ts' own TCP transport sees it.
import { createRequire } from "node:module"
import { afterEach, describe, expect, test } from "vitest"
import { encodeStreamFrame, StreamFrameDecoder } from "../sim/net/frame-stream.ts"
import { lostText } from "../sim/net/tcp-transport.ts"
import { serveJointBoard, type ServedJoint } from "../sim/serve/served-joint.ts"
import { serverDeviceIdOf } from "../sim/vm/board-vm.ts"

const frame = (n: number, fill: number) => new Uint8Array(n).fill(fill)

describe("TCP frame stream", () => {
    test("a frame is prefixed by its length; 255 bytes and more by 0xff and a little-endian u16", () => {
        expect([...encodeStreamFrame(frame(3, 7))]).toEqual([3, 7, 7, 7])
        expect([...encodeStreamFrame(frame(300, 1)).subarray(0, 4)]).toEqual([0xff, 300 & 0xff, 300 >> 8, 1])
    })

    test("frames split anywhere across chunks come out whole and in order", () => {
        const frames = [frame(20, 1), frame(252, 2), frame(300, 3), frame(1, 4)]
        const stream = Buffer.concat(frames.map(f => encodeStreamFrame(f)))
        for (const cut of [1, 2, 7, 100, 253]) {
            const d = new StreamFrameDecoder()
            const out: Uint8Array[] = []
            for (let i = 0; i < stream.length; i += cut) out.push(...d.push(stream.subarray(i, i + cut)))
            expect(out.map(f => [f.length, f[0]])).toEqual(frames.map(f => [f.length, f[0]]))
        }
    })
})

describe("a served board", () => {
    let served: ServedJoint | undefined
    afterEach(async () => {
        await served?.close()
    })

    test("is seen by jacdac-ts' own TCP transport (what DeviceScript's tools use) with its program's services", async () => {
        served = await serveJointBoard({ name: "bench", actuator: "large", port: 0 })
        // jacdac-ts' CommonJS build: its socket transport loads `net` with require()
        const jd = createRequire(import.meta.url)("jacdac-ts")
        const bus = new jd.JDBus([jd.createNodeSocketTransport(served.port, "127.0.0.1")], { client: false, disableRoleManager: true })
        try {
            await bus.connect()
            const programId = serverDeviceIdOf(served.board.vm.deviceId)
            const deadline = Date.now() + 3000
            while (!bus.device(programId, true)?.services().length && Date.now() < deadline) await new Promise(r => setTimeout(r, 50))
            const ids = (bus.device(programId, true)?.services() ?? []).map((s: { serviceClass: number }) => s.serviceClass)
            expect(ids).toContain(0x1c5a7e29) // joint actuator (services/jointactuator.md)
            expect(bus.device(served.board.vm.deviceId, true)?.services({ serviceClass: jd.SRV_DEVICE_SCRIPT_MANAGER }).length).toBe(1)
        } finally {
            await bus.stop()
        }
    })
})

describe("a lost TCP connection, as the transport names it", () => {
    test("the other end's close, seen as a close or as the write that met it (EPIPE, ECONNRESET: a race, seen in deploy's test on a loaded machine), is a close; any other error is a break", () => {
        expect(lostText(undefined)).toBe("the other end closed the connection")
        expect(lostText("EPIPE")).toBe("the other end closed the connection (EPIPE)")
        expect(lostText("ECONNRESET")).toBe("the other end closed the connection (ECONNRESET)")
        expect(lostText("ETIMEDOUT")).toBe("the connection broke (ETIMEDOUT)")
        expect(lostText("EHOSTUNREACH")).toBe("the connection broke (EHOSTUNREACH)")
    })
})
