// Deploying to a simulated joint board served over TCP (hfw sim serve), as a user deploys to a real
// board bridged by the DeviceScript development tools.
import { spawn } from "node:child_process"
import fs from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest"
import { REPO_ROOT, bytecodePath } from "../sim/firmware.ts"
import { StreamFrameDecoder } from "../sim/net/frame-stream.ts"
import { serveFootBoard, type ServedFoot } from "../sim/serve/served-foot.ts"
import { serveJointBoard, type ServedJoint } from "../sim/serve/served-joint.ts"
import { serverDeviceIdOf } from "../sim/vm/board-vm.ts"
import { deploy, type DeployRequest } from "../tools/deploy/deploy.ts"
import { readFootSettingsFile } from "../tools/foot-settings-file.ts"
import { readJointSettingsFile } from "../tools/joint-settings-file.ts"
import { settingsFileOf } from "../tools/settings-file.ts"
import { IDEAL, IDEAL_TARGET, refusal } from "./helpers.ts"
import { JDBus, RESTART } from "jacdac-ts"
import { TcpFrameTransport } from "../sim/net/tcp-transport.ts"
import { JOINT_SETTING_KEY } from "../devs/joint/settings-schema.ts"
import { FIND_WAIT_MS, findDeviceScriptBoards, managerOf, readManagerState, readSetting, settingsOf, waitFor } from "../tools/deploy/board-link.ts"

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
    for (const o of open.splice(0)) await o.close()
})

async function serve(provisionedAs?: string): Promise<ServedJoint> {
    const provisioned = provisionedAs ? readJointSettingsFile(settingsFileOf(provisionedAs)) : undefined
    const served = await serveJointBoard({ name: "bench", actuator: "large", provisioned, port: 0, target: IDEAL_TARGET })
    open.push(served)
    return served
}

const request = (served: { port: number }, over: Partial<DeployRequest> = {}): DeployRequest => ({
    board: "joint",
    jointId: "left_knee",
    settings: readJointSettingsFile(settingsFileOf("left_knee")),
    bytecode: fs.readFileSync(bytecodePath("joint")),
    host: "127.0.0.1",
    port: served.port,
    reprovision: false,
    log: () => {},
    ...over,
})

/** runs hfw; resolves with its exit code and output (the event loop keeps running meanwhile) */
function hfw(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise(resolve => {
        const p = spawn(process.execPath, [path.join(REPO_ROOT, "tools", "hfw.mjs"), ...args], { cwd: REPO_ROOT })
        let stdout = ""
        let stderr = ""
        p.stdout.on("data", d => (stdout += d))
        p.stderr.on("data", d => (stderr += d))
        p.on("close", status => resolve({ status, stdout, stderr }))
    })
}

/** the payloads of the `reading` reports the served board's program sends in `ms`, seen by a TCP client */
function readingReports(served: ServedJoint | ServedFoot, ms: number): Promise<Buffer[]> {
    const programId = serverDeviceIdOf(served.board.vm.deviceId)
    return new Promise((resolve, reject) => {
        const decoder = new StreamFrameDecoder()
        const reports: Buffer[] = []
        const sock = net.createConnection({ host: "127.0.0.1", port: served.port })
        sock.on("error", reject)
        sock.on("data", chunk => {
            for (const f of decoder.push(chunk)) {
                const from = Buffer.from(f.subarray(4, 12)).toString("hex")
                const command = f[14] | (f[15] << 8)
                if (from === programId && command === 0x1101) reports.push(Buffer.from(f.subarray(16, 16 + f[12]))) // report of the `reading` register
            }
        })
        setTimeout(() => {
            sock.destroy()
            resolve(reports)
        }, ms)
    })
}

/** telemetry reports the board's joint actuator service sends in `ms` */
const countTelemetry = async (served: ServedJoint, ms: number) => (await readingReports(served, ms)).length


/**
 * hfw deploy with `doc` as the settings file, to a TCP server that counts the connections it gets:
 * refused at the settings, with no connection; resolves with its stderr
 */
async function refusedSettingsFile(board: string, id: string, doc: unknown): Promise<string> {
    let connections = 0
    const server = net.createServer(s => {
        connections++
        s.destroy()
    })
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve))
    open.push({ close: () => new Promise<void>(resolve => server.close(() => resolve())) })
    const port = (server.address() as net.AddressInfo).port
    const file = path.join(os.tmpdir(), `hfw-bad-settings-${process.pid}.json`)
    fs.writeFileSync(file, JSON.stringify(doc))
    const r = await hfw("deploy", "--board", board, "--joint", id, "--settings", file, "--target", `tcp:127.0.0.1:${port}`)
    fs.rmSync(file)
    expect(r.status).toBe(1)
    expect(r.stderr).toContain("failed at step 'validate settings'")
    expect(r.stderr).toContain("nothing on the board was changed")
    expect(connections).toBe(0)
    return r.stderr
}

describe("hfw deploy to a served simulated joint board", () => {
    test("deploys program and settings to an unprovisioned board, which then runs them", async () => {
        const served = await serve()
        const settings = readJointSettingsFile(settingsFileOf("left_knee"))
        settings.values.telemetryMs = 100 // observable from outside: 10 reports a second instead of 25
        const r = await deploy(request(served, { settings }))
        expect(r.previousJointId).toBeUndefined()
        expect(r.jointIdReported).toBe("left_knee")
        const reports = await countTelemetry(served, 1000)
        // 10 a second with the new settings, 25 with the defaults; the board keeps wall-clock time, so
        // leave room for a loaded machine
        expect(reports).toBeGreaterThanOrEqual(5)
        expect(reports).toBeLessThanOrEqual(13)
    })

    test("refuses a board provisioned as another joint, and changes nothing on it", async () => {
        const served = await serve("right_knee")
        const before = served.board.vm.flash.slice()
        const e = await refusal(request(served))
        expect(e.step).toBe("check identity")
        expect(e.message).toBe("the board is provisioned as right_knee; deploying left_knee onto it needs --reprovision")
        expect(e.boardChanged).toBe(false)
        expect(Buffer.from(served.board.vm.flash).equals(Buffer.from(before))).toBe(true)
        expect(await countTelemetry(served, 500)).toBeGreaterThan(5) // still running its program
    })

    test("refuses to deploy a foot program to a joint board, and changes nothing on it", async () => {
        const served = await serve("right_knee")
        const before = served.board.vm.flash.slice()
        const e = await refusal(request(served, { board: "foot", jointId: "left_foot", settings: readFootSettingsFile(settingsFileOf("left_foot")) }))
        expect(e.step).toBe("check identity")
        expect(e.message).toMatch(/is a joint board \(product id 0x3fe5b46f, the DeviceScript simulator.*--board foot asked for a foot board/)
        expect(Buffer.from(served.board.vm.flash).equals(Buffer.from(before))).toBe(true)
    })

    test("reprovisions a right knee served by hfw sim serve as the left knee with --reprovision (the commands as a user runs them); its power pulled, it comes back the left knee", async () => {
        const server = spawn(process.execPath, [path.join(REPO_ROOT, "tools", "hfw.mjs"), "sim", "serve", "--board", "joint", "--joint", "right_knee", "--port", "0", "--param", IDEAL], {
            cwd: REPO_ROOT,
        })
        open.push({
            close: () =>
                new Promise<void>(resolve => {
                    if (server.exitCode !== null) return resolve()
                    server.on("exit", () => resolve())
                    server.kill("SIGTERM")
                }),
        })
        const port = await new Promise<number>((resolve, reject) => {
            let err = ""
            server.stderr.on("data", d => {
                err += d
                const m = /on tcp:127\.0\.0\.1:(\d+)/.exec(err)
                if (m) resolve(Number(m[1]))
            })
            server.on("exit", code => reject(new Error(`hfw sim serve exited with ${code}: ${err}`)))
        })
        const target = `tcp:127.0.0.1:${port}`
        const refused = await hfw("deploy", "--board", "joint", "--joint", "left_knee", "--target", target)
        expect(refused.status).toBe(1)
        expect(refused.stderr).toContain("failed at step 'check identity': the board is provisioned as right_knee")
        const r = await hfw("deploy", "--board", "joint", "--joint", "left_knee", "--reprovision", "--target", target)
        expect(r.stderr).toContain("provisioned as right_knee")
        expect(r.stderr).toMatch(/program sha256 [0-9a-f]{64} matches/)
        expect(r.stderr).toContain("its joint actuator service reports joint id left_knee")
        expect(r.status).toBe(0)
        expect(r.stdout).toBe("")

        // kill -USR2 pulls its power: it restarts, and comes back from its flash as the left knee
        const bus = new JDBus([new TcpFrameTransport("127.0.0.1", port)], { client: false, disableRoleManager: true })
        open.push({ close: () => bus.stop() })
        await bus.connect()
        const [dev] = await findDeviceScriptBoards(bus, FIND_WAIT_MS)
        const restarted = new Promise<void>(resolve => dev.once(RESTART, () => resolve()))
        const pulled = new Promise<void>(resolve => server.stderr.on("data", d => /the board's power pulled for 330 ms/.test(String(d)) && resolve()))
        server.kill("SIGUSR2")
        await Promise.all([pulled, restarted])
        await waitFor("the restarted program", async () => (await readManagerState(managerOf(dev))).running)
        expect(JSON.parse((await readSetting(settingsOf(dev), JOINT_SETTING_KEY))!).id).toBe("left_knee")
    })

    test("an invalid settings file is refused before any connection, every bad field named", async () => {
        const bad = JSON.parse(fs.readFileSync(settingsFileOf("left_knee"), "utf8"))
        bad.peakA = 500
        bad.watchdogMs = -1
        const stderr = await refusedSettingsFile("joint", "left_knee", bad)
        expect(stderr).toContain("peakA = 500: accepted a number from 1 to 200 A")
        expect(stderr).toContain("watchdogMs = -1: accepted a number from 5 to 5000 ms")
    })
})

/** peak-to-peak total force (N) of the foot contact reports over `ms`: over a stride, stance peak to swing */
async function forceSwingN(served: ServedFoot, ms: number): Promise<number> {
    const forces = (await readingReports(served, ms)).filter(r => r.length === 35).map(r => r.readFloatLE(4)) // contact @ reading
    expect(forces.length).toBeGreaterThan(10)
    return Math.max(...forces) - Math.min(...forces)
}

describe("hfw deploy to a served simulated foot board", () => {
    // one board for the file's foot tests: serving runs in wall-clock time
    let served: ServedFoot
    beforeAll(async () => {
        served = await serveFootBoard({ name: "bench", provisioned: readFootSettingsFile(settingsFileOf("right_foot")), port: 0, target: IDEAL_TARGET })
    })
    afterAll(() => served.close())
    const footRequest = (over: Partial<DeployRequest> = {}): DeployRequest =>
        request(served, {
            board: "foot",
            jointId: "left_foot",
            settings: readFootSettingsFile(settingsFileOf("left_foot")),
            bytecode: fs.readFileSync(bytecodePath("foot")),
            ...over,
        })

    test("refuses a joint program on a foot board, and changes nothing on it", async () => {
        const before = served.board.vm.flash.slice()
        const e = await refusal(request(served))
        expect(e.step).toBe("check identity")
        expect(e.message).toMatch(/is a foot board \(product id 0x3fe5b46f.*--board joint asked for a joint board/)
        expect(Buffer.from(served.board.vm.flash).equals(Buffer.from(before))).toBe(true)
    })

    test("refuses left_foot on a board provisioned as right_foot, and changes nothing on it", async () => {
        const before = served.board.vm.flash.slice()
        const e = await refusal(footRequest())
        expect(e.step).toBe("check identity")
        expect(e.message).toBe("the board is provisioned as right_foot; deploying left_foot onto it needs --reprovision")
        expect(e.boardChanged).toBe(false)
        expect(Buffer.from(served.board.vm.flash).equals(Buffer.from(before))).toBe(true)
    })

    test("reprovisions it as left_foot with doubled cell gains: it reports left_foot and twice the force", async () => {
        const strideMs = 1300 // a stride is 1.2 s (+-3 %): one stance and one swing in the window
        const before = await forceSwingN(served, strideMs)
        const settings = readFootSettingsFile(settingsFileOf("left_foot"))
        settings.values.cellGains = settings.values.cellGains.map(g => 2 * g)
        const r = await deploy(footRequest({ settings, reprovision: true }))
        expect(r.previousJointId).toBe("right_foot")
        expect(r.jointIdReported).toBe("left_foot")
        // zero offsets cancel in the peak-to-peak; strides differ by a few percent
        const ratio = (await forceSwingN(served, strideMs)) / before
        expect(ratio).toBeGreaterThan(1.7)
        expect(ratio).toBeLessThan(2.3)
    })

    test("an invalid foot settings file is refused before any connection, every bad field named", async () => {
        const bad = JSON.parse(fs.readFileSync(settingsFileOf("left_foot"), "utf8"))
        bad.cellGains[2] = -1
        bad.cellXMm = [-90, -90, 90]
        bad.cellYMm[3] = 400
        const stderr = await refusedSettingsFile("foot", "left_foot", bad)
        expect(stderr).toContain("3 bad field(s)")
        expect(stderr).toContain("cellGains[2] = -1: accepted a number from 0.000006 to 0.001 N/count")
        expect(stderr).toContain("cellXMm = [-90,-90,90]: accepted a list of 4 numbers (one per cell) from -150 to 150 mm")
        expect(stderr).toContain("cellYMm[3] = 400: accepted a number from -100 to 100 mm")
    })
})
