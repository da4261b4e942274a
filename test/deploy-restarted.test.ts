// hfw deploy when the board restarts (its power pulled: a brown-out, a plug) at each of its steps: a
// served simulated left knee, restarted by the test the moment the deploy starts a step, or in the
// middle of the program's write (reached through a relay that sees the deploy's frames).
import { afterEach, describe, expect, test } from "vitest"
import { deploy } from "../tools/deploy/deploy.ts"
import { refusal } from "./helpers.ts"
import { frameRelay } from "./frame-relay.ts"
import { DEPLOY_POINTS, actAt, boardSays, bytecode, newSettings, oldSettings, request, serveKnee, sha256Of, stored, type DeployPoint } from "./deploy-fixtures.ts"

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
    for (const o of open.splice(0)) await o.close()
})

/**
 * The board is off this long: longer than jacdac-ts resends an unacknowledged command (4 times, 90-120
 * ms apart), so nothing the deploy sent before the restart reaches the restarted board and what it holds
 * after is one outcome, not a race (with a 330 ms brown-out a resent settings write can land after it).
 */
const OFF_MS = 1000

/**
 * The new program: the built joint program as the next commit's build differs from it, by the version
 * it embeds (one digit changed): a different program by its SHA-256, the same behaviour.
 */
function newBuild(): Uint8Array {
    const b = Buffer.from(bytecode())
    const m = /v(\d)\.\d+\.\d+/.exec(b.toString("latin1"))
    if (!m) throw new Error("the joint program embeds no version string")
    b[m.index + 1] = 0x30 + ((Number(m[1]) + 1) % 10)
    return b
}

describe("hfw deploy, its board restarted at each step", () => {
    const previousSha = sha256Of(bytecode())
    const newSha = sha256Of(newBuild())
    const cases: (DeployPoint & { state: RegExp; program: "previous" | "new" | "none"; settings: "old" | "new" })[] = [
        {
            ...DEPLOY_POINTS.beforeProgramWrite,
            state: /^after its restart the board stores its previous program \([0-9a-f]{16}\.\.\.\) and runs it; its settings are the old ones/,
            program: "previous",
            settings: "old",
        },
        {
            ...DEPLOY_POINTS.midProgramWrite,
            state: /^after its restart the board stores no program \(the runtime keeps a program only once it is whole\) and runs none; its settings are the old ones/,
            program: "none",
            settings: "old",
        },
        {
            ...DEPLOY_POINTS.beforeSettings,
            state: /^after its restart the board stores the whole new program \([0-9a-f]{16}\.\.\.\) and runs it; its settings are the old ones/,
            program: "new",
            settings: "old",
        },
        {
            ...DEPLOY_POINTS.beforeStart,
            state: /^after its restart the board stores the whole new program \([0-9a-f]{16}\.\.\.\) and runs it; its settings are the new ones/,
            program: "new",
            settings: "new",
        },
        {
            ...DEPLOY_POINTS.duringVerify,
            state: /^after its restart the board stores the whole new program \([0-9a-f]{16}\.\.\.\) and runs it; its settings are the new ones/,
            program: "new",
            settings: "new",
        },
    ]
    for (const c of cases)
        test(`${c.at}: says so and what the board holds and runs; it runs a whole program or none, old or new settings; a second deploy succeeds`, async () => {
            const served = await serveKnee(open)
            const restart = actAt(c, () => served.restart(OFF_MS))
            const relay = await frameRelay(served.port, restart.beforeFrame)
            open.push(relay)
            const e = await refusal(request(relay.port, { bytecode: newBuild(), log: restart.log }))
            expect(e.step).toMatch(c.step)
            expect(e.message).toMatch(/^the board restarted during '.*' \(its announce's restart counter went back\)/)
            expect(e.message).toContain(`the last step the board acknowledged: '${c.acknowledged}'`)
            expect(e.boardChanged).toBe(true)
            expect(e.state).toMatch(c.state)
            // read once its manager had started the stored program (1.153 s after boot), and it says so
            expect(e.state).toMatch(/\(read once it ran, \d+\.\d s after the restart was seen: a restarted board's manager starts its stored program 1\.153 s after boot\)/)
            expect(e.state).toContain("deploy again")

            // what the deploy said, the board says: a whole program or none, running; old or new settings
            const says = await boardSays(served.port)
            expect(says.programSha256).toBe({ previous: previousSha, new: newSha, none: undefined }[c.program])
            expect(says.running).toBe(true)
            expect(says.settings).toBe(stored(c.settings === "old" ? oldSettings() : newSettings()))
            expect(served.board.vm.restarts).toHaveLength(1)

            const again = await deploy(request(served.port, { bytecode: newBuild() }))
            expect(again.jointIdReported).toBe("left_knee")
            expect(again.programSha256).toBe(newSha)
        }, 60_000)
})

test("a board whose power stays off past three announce periods: the deploy says it stopped answering during its step; back, it runs what it stores and a second deploy succeeds", async () => {
    const served = await serveKnee(open)
    const e = await refusal(request(served.port, { bytecode: newBuild(), log: line => /write the settings/.test(line) && served.restart(2500) }))
    expect(e.step).toBe("write the settings of left_knee")
    expect(e.message).toBe(
        `the board stopped answering during 'write the settings of left_knee' (no announce for 1.5 s: its power or its bus is gone); the last step the board acknowledged: 'write the program (${bytecode().length} bytes)'`
    )
    expect(e.state).toMatch(/it stores the whole new program; its settings are the old or the new ones .*; a board that lost power runs the program it stores \(none, if none\) once it is back/)
    const again = await deploy(request(served.port, { bytecode: newBuild() }))
    expect(again.jointIdReported).toBe("left_knee")
}, 60_000)

test("a brown-out's 330 ms restart before the settings: a resent write may reach the restarted board, and the deploy says what it holds once its step has settled", async () => {
    const served = await serveKnee(open)
    const e = await refusal(request(served.port, { bytecode: newBuild(), log: line => /write the settings/.test(line) && served.restart() }))
    expect(e.message).toMatch(/^the board restarted during 'write the settings of left_knee'/)
    const says = await boardSays(served.port)
    const holds = says.settings === stored(newSettings()) ? "new" : says.settings === stored(oldSettings()) ? "old" : "a mix"
    expect(e.state).toContain(`and runs it; its settings are the ${holds} ones`)
}, 60_000)
