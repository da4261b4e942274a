// One command source (issue 17, case 3; services/jointactuator.md): the joint bytecode on a bus with
// two controllers, each its own client of the joint (Jacdac commands do not say who sent them, so two
// clients on one bus are what two controllers on the wire are). The first enables the joint and drives
// it; the second is a bench tool plugged in by mistake. (A leg frame from a second controller's own
// device is not even read: the joint's leg role is bound to its body controller's device; so the
// frame's test sends the wrong tokens from the body controller's host.)
import { describe, expect, test } from "vitest"
import { COMMON_PARAMS, resolveParams, targetOf } from "../sim/params.ts"
import { Simulation } from "../sim/simulation.ts"
import { linkLoad } from "../sim/plants/loads.ts"
import { JOINT_PARAMS, addJoint } from "../sim/scenarios/joint-common.ts"
import { JointClient } from "../sim/clients/joint-client.ts"
import { LegSetpointsHost, type ImpedanceSetpoint } from "../sim/clients/leg-setpoints.ts"
import { BenchJoint } from "../tools/bench/bench-joint.ts"
import { simBenchClock } from "../tools/bench/targets.ts"
import { expectNear } from "./helpers.ts"

/** a 5 kg link turning in the horizontal plane: it stays where it is put */
const LINK = linkLoad({ massKg: 5, leverM: 0.3, gravity: false })
const FIRST_HOLD: ImpedanceSetpoint = { posRad: 0.5, velRadS: 0, kpNmRad: 100, kdNmsRad: 11, ffNm: 0 }
const SECOND_HOLD: ImpedanceSetpoint = { posRad: 0.9, velRadS: 0, kpNmRad: 200, kdNmsRad: 15, ffNm: 0 }
/** the board sends at most one refusal event every 500 ms */
const REFUSAL_EVENT_GAP_S = 0.5
/** the link has not moved: within this of its hold (it rests on the gearbox's friction) */
const STILL_RAD = 0.001

/** a joint on a bench bus (slot 0 of a leg frame when `legSlot`), the link resting at the first hold, and a second controller */
async function twoControllers(settings: Record<string, number> = {}) {
    const p = resolveParams({ ...COMMON_PARAMS, ...JOINT_PARAMS }, [])
    const sim = new Simulation({ seed: 4, target: targetOf(p) })
    const joint = await addJoint(sim, p, "bench_joint", LINK, FIRST_HOLD.posRad, "body", settings)
    const body = sim.segments.find(s => s.name === "body")!
    const first = joint.client
    const second = new JointClient(body.bus, sim.clock, first.serverDeviceId, "bench")
    while (!first.tryConnect() || !second.tryConnect()) await sim.run(0.01)
    await sim.run(0.25) // the offset calibration (200 ms) is done
    return { sim, joint, body, first, second }
}

/** two controllers, the first having enabled the joint and held the link for 0.3 s */
async function firstHolding(settings: Record<string, number> = {}) {
    const r = await twoControllers(settings)
    await enable(r.sim, r.first)
    await hold(r.sim, 0.3, impedance(r.first, FIRST_HOLD))
    return r
}

/** `c` enables the joint; resolves once its reply came (the token or the refusal) */
async function enable(sim: Simulation, c: JointClient) {
    c.enableRefusal = undefined
    const tokenBefore = c.token
    c.enable()
    for (let i = 0; i < 50 && c.enableRefusal === undefined && c.token === tokenBefore; i++) await sim.run(0.001)
    expect(c.enableRefusal !== undefined || c.token !== tokenBefore, "a reply to the enable within 50 ms").toBe(true)
}

/** every 10 ms for `s` seconds */
async function hold(sim: Simulation, s: number, ...commands: (() => void)[]) {
    for (let t = 0; t < s - 1e-9; t += 0.01) {
        for (const c of commands) c()
        await sim.run(0.01)
    }
}

const impedance = (c: JointClient, h: ImpedanceSetpoint) => () => c.impedance(h.posRad, h.velRadS, h.kpNmRad, h.kdNmsRad, h.ffNm)
const reasons = (c: JointClient, fromUs: number) => c.refusals.filter(r => r.tUs >= fromUs).map(r => r.reason)

describe("one command source: the session token", () => {
    test("enable hands the controller a nonzero token; a second controller's enable is refused (session_open) and gets none", async () => {
        const { sim, first, second } = await twoControllers()
        await enable(sim, first)
        expect(first.token).toBeGreaterThan(0)
        expect(first.token).toBeLessThanOrEqual(65535)
        const t0 = sim.clock.nowUs
        await enable(sim, second)
        expect(second.enableRefusal).toBe("SessionOpen")
        expect(second.token).toBe(0)
        await sim.run(0.1)
        expect(reasons(first, t0)).toEqual(["SessionOpen"]) // the event, heard by everyone on the bus
        await sim.stop()
    })

    test("a drive command with no token or another token is refused with an event saying why, and the joint keeps obeying its controller", async () => {
        const { sim, joint, first, second } = await firstHolding()
        const t0 = sim.clock.nowUs
        // none: the bench tool drives without enabling; then a stale token (not the session's)
        await hold(sim, REFUSAL_EVENT_GAP_S, impedance(first, FIRST_HOLD), impedance(second, SECOND_HOLD), () => second.current(30))
        second.token = first.token === 65535 ? 1 : first.token + 1
        await hold(sim, REFUSAL_EVENT_GAP_S, impedance(first, FIRST_HOLD), impedance(second, SECOND_HOLD), () => second.current(30))
        expect(reasons(second, t0)).toEqual(["NoToken", "WrongToken"])
        expectNear(joint.actuator.angleRad, FIRST_HOLD.posRad, STILL_RAD, "angle")
        expect(joint.client.telemetry).toMatchObject({ mode: 2, fault: 0 }) // impedance
        // and the first still moves it: its hold stepped by 0.1 rad is followed
        const stepped = { ...FIRST_HOLD, posRad: FIRST_HOLD.posRad + 0.1 }
        await hold(sim, 0.6, impedance(first, stepped), impedance(second, SECOND_HOLD))
        expectNear(joint.actuator.angleRad, stepped.posRad, 0.02, "angle")
        expect(joint.client.faults).toEqual([])
        await sim.stop()
    })

    test("disable from the second controller ends the first's session (a stop works from anyone); then the second enables and drives", async () => {
        const { sim, joint, first, second } = await firstHolding()
        second.disable()
        const t0 = sim.clock.nowUs
        await hold(sim, 0.1, impedance(first, FIRST_HOLD))
        expect(joint.bridgeOn).toBe(false)
        expect(reasons(first, t0)).toEqual(["NotArmed"])
        await enable(sim, second)
        expect(second.token).toBeGreaterThan(0)
        expect(second.token === first.token).toBe(false)
        await hold(sim, 0.8, impedance(second, SECOND_HOLD), impedance(first, FIRST_HOLD))
        expectNear(joint.actuator.angleRad, SECOND_HOLD.posRad, 0.02, "angle")
        await sim.stop()
    })

    test("the watchdog's lapse ends the session: the second clears and enables, drives, and the first's old token is refused", async () => {
        const { sim, joint, first, second } = await firstHolding()
        const stale = first.token
        await hold(sim, 0.3, impedance(second, SECOND_HOLD)) // the first stops: its watchdog (100 ms) lapses
        expect(first.faults.map(f => f.name)).toEqual(["CommandWatchdog"])
        await sim.run(0.6) // damping (500 ms), then off
        second.clearFault()
        await enable(sim, second)
        expect(second.token).toBeGreaterThan(0)
        first.token = stale // a first controller that missed the fault and goes on
        const t0 = sim.clock.nowUs
        await hold(sim, 0.8, impedance(second, SECOND_HOLD), impedance(first, FIRST_HOLD))
        expect(reasons(first, t0)).toContain("WrongToken")
        expectNear(joint.actuator.angleRad, SECOND_HOLD.posRad, 0.02, "angle")
        await sim.stop()
    })

    test("hfw bench's enable on a joint its body controller drives fails, saying why and what to do; the joint goes on", async () => {
        const { sim, joint, body, first } = await firstHolding()
        const bench = BenchJoint.find(body.bus.device(first.serverDeviceId, true)!.services(), simBenchClock(sim))!
        let outcome: string | undefined
        void bench.enable().then(
            () => (outcome = "granted"),
            (e: Error) => (outcome = e.message)
        )
        for (let i = 0; i < 100 && outcome === undefined; i++) await hold(sim, 0.01, impedance(first, FIRST_HOLD))
        expect(outcome).toMatch(/^the joint refused enable: session_open: another controller holds it \(disable it from there, or wait for its watchdog\)/)
        expect(bench.token).toBe(0)
        expect(joint.client.telemetry).toMatchObject({ mode: 2, fault: 0 })
        expectNear(joint.actuator.angleRad, FIRST_HOLD.posRad, STILL_RAD, "angle")
        await sim.stop()
    })

    test("the leg frame: a set slot is obeyed only with its joint's token; with none or another it is refused and moves nothing", async () => {
        const { sim, joint, body, first } = await twoControllers({ legSlot: 2 })
        const leg = new LegSetpointsHost(body, "body/left_leg")
        const frame = (h: ImpedanceSetpoint, token: number) => [undefined, undefined, { ...h, token }]
        await enable(sim, first)
        // (a joint takes a leg's frames once its role is bound to the host, seen announcing itself)
        for (let i = 0; i < 200 && joint.client.telemetry?.mode !== 2; i++) await hold(sim, 0.01, () => leg.send(frame(FIRST_HOLD, first.token)))
        expect(joint.client.telemetry?.mode).toBe(2)
        const t0 = sim.clock.nowUs
        // frames whose slot carries the second hold with no token, then with another one, 100 ms apart
        // (the watchdog: 100 ms), the first's frames in between
        const mixed = (token: number) => {
            let n = 0
            return () => leg.send(n++ % 2 ? frame(SECOND_HOLD, token) : frame(FIRST_HOLD, first.token))
        }
        await hold(sim, REFUSAL_EVENT_GAP_S, mixed(0))
        await hold(sim, REFUSAL_EVENT_GAP_S, mixed(first.token ^ 0x5a5a))
        expect(reasons(first, t0)).toEqual(["NoToken", "WrongToken"])
        expectNear(joint.actuator.angleRad, FIRST_HOLD.posRad, STILL_RAD, "angle")
        expect(joint.client.telemetry).toMatchObject({ mode: 2, fault: 0 })
        // with the token, the same slot drives
        await hold(sim, 0.8, () => leg.send(frame(SECOND_HOLD, first.token)))
        expectNear(joint.actuator.angleRad, SECOND_HOLD.posRad, 0.02, "angle")
        await sim.stop()
    })
})
