// hfw against targets that are not there, do not answer, are not Jacdac buses, or are another joint:
// one line saying what went wrong and what to do, no stack trace.
import { describe, expect, test } from "vitest"
import { hfw, hfwAsync, noStackTrace, tcpServer } from "./hfw-process.ts"

describe("hfw targets", () => {
    test("a target that is not there, or does not answer, is one line saying so", async () => {
        const closed = await tcpServer()
        await closed.close()
        const refused = await hfwAsync("bench", "step", "--target", `tcp:127.0.0.1:${closed.port}`)
        expect(refused.status).toBe(1)
        expect(refused.stderr).toContain(`hfw: cannot connect to tcp:127.0.0.1:${closed.port}: nothing listens there (connection refused)`)
        noStackTrace(refused.stderr)

        const silent = await tcpServer()
        const quiet = await hfwAsync("bench", "step", "--target", `tcp:127.0.0.1:${silent.port}`)
        await silent.close()
        expect(quiet.status).toBe(1)
        expect(quiet.stderr).toContain(`hfw: no joint board answers on tcp:127.0.0.1:${silent.port} (waited 3 s)`)
        noStackTrace(quiet.stderr)

        const serial = await hfwAsync("bench", "step", "--target", "serial:/dev/nonexistent")
        expect(serial.status).toBe(1)
        expect(serial.stderr).toContain("hfw: no serial port /dev/nonexistent: it does not exist")
        noStackTrace(serial.stderr)
    })

    test("a served board on a port in use is one line saying so", async () => {
        const taken = await tcpServer()
        const r = await hfwAsync("sim", "serve", "--board", "joint", "--joint", "left_knee", "--port", String(taken.port))
        await taken.close()
        expect(r.status).toBe(1)
        expect(r.stderr).toContain(`port ${taken.port} is in use`)
        noStackTrace(r.stderr)
    })

    test("a peer sending bytes that are not Jacdac frames: deploy's error and one line counting them", async () => {
        // a fixed byte pattern, not Jacdac framing, every 20 ms
        const junk = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 73 + 41) & 0xff))
        const peer = await tcpServer(sock => {
            const timer = setInterval(() => sock.write(junk), 20)
            sock.on("close", () => clearInterval(timer))
        })
        const r = await hfwAsync("deploy", "--board", "joint", "--joint", "left_knee", "--target", `tcp:127.0.0.1:${peer.port}`)
        await peer.close()
        expect(r.status).toBe(1)
        expect(r.stderr).toContain("failed at step 'find the board'")
        expect(r.stderr).toMatch(/hfw: received \d+ malformed Jacdac frame\(s\) from the target/)
        expect(r.stderr).not.toMatch(/got only|unexpected packet len|crc mismatch/)
        expect(r.stderr.trim().split("\n").length).toBeLessThan(8)
    })

    test("sim serve refuses another joint's settings file, as deploy does", () => {
        const r = hfw("sim", "serve", "--board", "joint", "--joint", "right_knee", "--port", "0", "--settings", "settings/left_knee.json")
        expect(r.status).toBe(1)
        expect(r.stderr).toContain("settings/left_knee.json: it is for left_knee, not for --joint right_knee")
        expect(r.stderr).not.toContain("serving")
    })
})
