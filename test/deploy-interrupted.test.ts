// hfw deploy when the connection to the board drops at each of its steps, and to a joint a
// controller is driving: a served simulated joint board, reached through a TCP proxy the test cuts.
import { afterEach, describe, expect, test } from "vitest"
import { deploy } from "../tools/deploy/deploy.ts"
import { openBusTarget, tcpTransport } from "../tools/bench/targets.ts"
import { refusal } from "./helpers.ts"
import { frameRelay } from "./frame-relay.ts"
import { DEPLOY_POINTS, actAt, boardSays, bytecode, newSettings, oldSettings, request, serveKnee, sha256Of, stored, type DeployPoint } from "./deploy-fixtures.ts"

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
    for (const o of open.splice(0)) await o.close()
})

const builtSha = () => sha256Of(bytecode())
const serve = (provisioned = true) => serveKnee(open, provisioned)

/** a relay to `port` the test can cut; `beforeFrame` sees each frame from the client before it is passed on */
async function cuttableProxy(port: number, beforeFrame?: (frame: Uint8Array) => void) {
    const relay = await frameRelay(port, beforeFrame)
    open.push(relay)
    return relay
}

describe("hfw deploy, its connection dropped at each step", () => {
    const cases: (DeployPoint & {
        state: RegExp
        running: boolean
        program: "built" | "none"
        settings: "old" | "new"
    })[] = [
        {
            ...DEPLOY_POINTS.beforeProgramWrite,
            state: /runs no program \(stopped, autostart off\); it stores no program or the whole new one, never part of one.*settings are unchanged/,
            running: false,
            program: "built", // the previous program, still stored (the same bytes as the new one here)
            settings: "old",
        },
        {
            ...DEPLOY_POINTS.midProgramWrite,
            state: /runs no program.*never part of one/,
            running: false,
            program: "none", // the runtime dropped the partial program
            settings: "old",
        },
        {
            ...DEPLOY_POINTS.beforeSettings,
            state: /runs no program \(stopped, autostart off\); it stores the whole new program; its settings are the old or the new ones/,
            running: false,
            program: "built",
            settings: "old",
        },
        {
            ...DEPLOY_POINTS.beforeStart,
            state: /stores the new program and settings; the program may not be running/,
            running: false,
            program: "built",
            settings: "new",
        },
        {
            ...DEPLOY_POINTS.duringVerify,
            state: /stores the new program and settings and was told to run it; verify did not finish/,
            running: true,
            program: "built",
            settings: "new",
        },
    ]
    for (const c of cases)
        test(`${c.at}: says so and what it left; the board runs a whole program or none; a second deploy succeeds`, async () => {
            const served = await serve()
            const cut = actAt(c, () => proxy.cut())
            const proxy = await cuttableProxy(served.port, cut.beforeFrame)
            const e = await refusal(request(proxy.port, { log: cut.log }))
            expect(e.step).toMatch(c.step)
            expect(e.message).toMatch(/^connection lost during '.*': the other end closed the connection/)
            expect(e.message).toContain(`the last step the board acknowledged: '${c.acknowledged}'`)
            expect(e.boardChanged).toBe(true)
            expect(e.state).toMatch(c.state)
            expect(e.state).toContain("deploy again")

            const says = await boardSays(served.port)
            expect(says.running).toBe(c.running)
            expect(says.programSha256).toBe(c.program === "built" ? builtSha() : undefined)
            expect(says.settings).toBe(stored(c.settings === "old" ? oldSettings() : newSettings()))

            // its verify step reads back the program's SHA-256 and the settings, and waits for the program to run
            const again = await deploy(request(served.port))
            expect(again.jointIdReported).toBe("left_knee")
        }, 60_000)

    test("interrupted (Ctrl-C) in the middle of the program write: says so at once and what it left; a second deploy succeeds", async () => {
        const served = await serve()
        const interrupt = new AbortController()
        const e = await refusal(request(served.port, { signal: interrupt.signal, log: line => /write the program/.test(line) && setTimeout(() => interrupt.abort(), 50) }))
        expect(e.step).toMatch(/^write the program/)
        expect(e.message).toBe(`interrupted during 'write the program (${bytecode().length} bytes)'; the last step the board acknowledged: 'stop the program'`)
        expect(e.state).toMatch(/runs no program.*never part of one/)
        expect(await boardSays(served.port)).toMatchObject({ running: false, autostart: false, settings: stored(oldSettings()) })
        expect((await deploy(request(served.port))).jointIdReported).toBe("left_knee")
    }, 60_000)

    test("an unprovisioned board left stopped needs --reprovision, as its stored id cannot be read; with it the deploy succeeds", async () => {
        const served = await serve(false)
        const proxy = await cuttableProxy(served.port)
        await refusal(request(proxy.port, { log: line => /write the settings/.test(line) && proxy.cut() }))
        const e = await refusal(request(served.port))
        expect(e.step).toBe("check identity")
        expect(e.message).toMatch(/stopped with autostart off, program [0-9a-f]{16}\.\.\. stored, serving nothing: as an interrupted deploy leaves a board; no stored joint id or foot id can be read: --reprovision deploys onto it/)
        expect(e.boardChanged).toBe(false)
        const r = await deploy(request(served.port, { reprovision: true }))
        expect(r.jointIdReported).toBe("left_knee")
    }, 60_000)
})

describe("hfw deploy to a joint a controller drives", () => {
    test("is refused, naming the mode and the commands heard, and the joint goes on being driven; --force deploys", async () => {
        const served = await serve()
        const controller = await openBusTarget(`tcp:127.0.0.1:${served.port}`, tcpTransport("127.0.0.1", served.port))
        let driving = true
        const drive = (async () => {
            await controller.joint.enable()
            while (driving) {
                await controller.joint.impedance(0, 0, 5, 0.1, 0)
                await new Promise(r => setTimeout(r, 20))
            }
        })()
        open.push({
            close: async () => {
                driving = false
                await drive.catch(() => {})
                await controller.close()
            },
        })
        const until = Date.now() + 5000
        while (controller.joint.telemetry?.mode !== 2 && Date.now() < until) await new Promise(r => setTimeout(r, 20))
        expect(controller.joint.telemetry?.mode).toBe(2) // impedance

        const e = await refusal(request(served.port))
        expect(e.step).toBe("check the joint is not driven")
        expect(e.message).toMatch(/^the joint is enabled and commanded \(mode Impedance; \d+ impedance command\(s\) to it in the \d+\.\d s deploy listened\): a controller drives it; devices on tcp:127\.0\.0\.1:\d+ besides the board: [0-9a-f]{16} \(a jacdac-ts host: a tool, a bridge or a controller\)/)
        expect(e.message).toContain("Disable it from its controller first, or deploy with --force")
        expect(e.boardChanged).toBe(false)
        const n = controller.joint.telemetryLog.length
        while (controller.joint.telemetryLog.length < n + 5 && Date.now() < until + 5000) await new Promise(r => setTimeout(r, 20))
        expect(controller.joint.telemetryLog.slice(n).every(t => t.mode === 2)).toBe(true)

        const lines: string[] = []
        const r = await deploy(request(served.port, { force: true, log: l => lines.push(l) }))
        expect(r.jointIdReported).toBe("left_knee")
        expect(lines.some(l => /--force: the joint is enabled and commanded/.test(l))).toBe(true)
    }, 60_000)
})
