// Five minutes on the floor (issue 17, case 7; the hour is `npm run bench:hour`): the whole robot
// walks in place for 300 s of virtual time, and every minute of it holds what design/targets.md asks
// of an hour: no fault, no missed control period after the first second, every joint within the
// walk's 1 degree RMS, each board's heap high-water no higher after the first minute. The same run
// holds the walk's other targets (buses, contacts, CPU). About 70 s of one core: vitest runs it beside
// the other files.
import { describe, expect, test } from "vitest"
import { runScenario } from "../sim/run.ts"

const LONG_WALK = { seed: 2, durationS: 300 }

/**
 * How far a minute's heap high-water may sit above the first minute's and still be flat: what was
 * live at a collection, plus what that wake allocated after it, varies from minute to minute (over an
 * hour, 24 336-24 756 B on the joints, no trend beyond ~1 B a minute: README, "An hour on the
 * floor"); one leaked 16-byte object a second would add a kilobyte a minute.
 */
const HEAP_JITTER_BYTES = 512

interface WalkMetrics {
    walkSeconds: number
    jointTrackingRmsDeg: number
    jointTrackingMaxDegByJoint: Record<string, number>
    trackingByMinute: { rmsDeg: (number | null)[]; worstJoint: (string | null)[] }
    worstMinuteTrackingRmsDeg: number
    deadlineMissesAfterFirstSecond: number
    heapGrowthAfterFirstMinuteBytes: number | null
    boardsNotAnswering: unknown[]
    jointsArmedBeforeWalk: boolean
    contactEvents: { seen: number; missed: number; invented: number }
    contactEventAgeMs: { p50: number; p99: number }
    unconfirmedStances: number
    busPeakLoadWalkingPct: number
    cpuLoadP99WalkingPct: { joints: number; feet: number }
    jointTrackingMaxDeg: number
}

describe("robot-walk for five minutes", () => {
    test("every minute: no fault, no missed period after the first second, every joint within 1 degree RMS, heap no higher than in the first minute; buses, contacts and CPU within the walk's targets", { timeout: 20 * 60_000 }, async () => {
        // on the modelled chips, stock runtime
        const r = await runScenario({ scenario: "robot-walk", seed: LONG_WALK.seed, durationS: LONG_WALK.durationS })
        const m = r.metrics as unknown as WalkMetrics
        expect(r.simSeconds).toBe(LONG_WALK.durationS)
        expect(r.boards).toBe(14)
        expect(r.panics).toBe(0)
        // the scenario's own verdict (sim/scenarios/verdict.ts): tracking, buses, contacts, and every
        // board's CPU p99 <= 60 %, no missed period after the first second, heap <= 40 KB
        expect(r.failedChecks).toBeUndefined()
        expect(r.faults).toEqual([])
        expect(m.boardsNotAnswering).toEqual([])
        expect(m.jointsArmedBeforeWalk).toBe(true)
        expect(m.walkSeconds).toBeGreaterThan(LONG_WALK.durationS - 2)

        // minute by minute: the worst joint's RMS in each of the five
        expect(m.trackingByMinute.rmsDeg).toHaveLength(5)
        m.trackingByMinute.rmsDeg.forEach((rms, i) => expect(rms, `minute ${i + 1}, ${m.trackingByMinute.worstJoint[i]}`).toBeLessThanOrEqual(1))
        expect(m.worstMinuteTrackingRmsDeg).toBe(Math.max(...m.trackingByMinute.rmsDeg.map(x => x ?? 0)))
        expect(m.jointTrackingRmsDeg).toBeLessThanOrEqual(1)
        // and at no moment far off it (2.16 deg measured over the five minutes, a knee mid-walk). The
        // posture as one step at full stiffness once rang the knees at 10 Hz into the walk's first 300 ms
        // (2.3-2.8 deg where the score starts, by the build's layout): the body controller now takes each
        // joint to it on a 150 ms path once the joint follows its leg's frames
        expect(m.jointTrackingMaxDeg).toBeLessThanOrEqual(2.5)
        // a feedforward impulse where the gait starts once took a hip roll 2.75 deg off at the first
        // weight shift (0.55 deg measured now)
        for (const leg of ["left", "right"]) expect(m.jointTrackingMaxDegByJoint[`${leg}_hip_roll`], `${leg}_hip_roll`).toBeLessThanOrEqual(1)
        expect(m.deadlineMissesAfterFirstSecond).toBe(0)
        for (const c of r.cpu) {
            expect(c.deadlineMisses, c.board).toBe(0)
            expect(c.heapHighWaterBytes, c.board).toBeLessThanOrEqual(40 * 1024)
            const [first, ...later] = c.heapHighWaterBytesByMinute
            expect(later, c.board).toHaveLength(4)
            later.forEach((bytes, i) => expect(bytes, `${c.board} minute ${i + 2} against the first's ${first} B`).toBeLessThanOrEqual(first! + HEAP_JITTER_BYTES))
        }
        expect(m.heapGrowthAfterFirstMinuteBytes).toBeLessThanOrEqual(HEAP_JITTER_BYTES)

        // the buses
        expect(Object.keys(r.busLoadBySegment).sort()).toEqual(["left_leg_bus", "right_leg_bus"])
        for (const load of Object.values(r.busLoadBySegment)) expect(load).toBeLessThanOrEqual(70)
        expect(m.busPeakLoadWalkingPct).toBeLessThanOrEqual(70)
        // every touchdown and liftoff of both feet seen by the foot boards, none invented
        expect(m.contactEvents.seen).toBeGreaterThanOrEqual(4 * Math.floor((LONG_WALK.durationS - 3) / 1.2) - 4)
        expect(m.contactEvents).toMatchObject({ missed: 0, invented: 0 })
        // the body controller placed every event at its sample's time and walked no stance unconfirmed
        expect(m.contactEventAgeMs.p99).toBeGreaterThanOrEqual(0)
        expect(m.contactEventAgeMs.p99).toBeLessThan(20)
        expect(m.unconfirmedStances).toBe(0)
        // design/targets.md: p99 <= 60 % on every board (measured over these 3000 windows: joints
        // 43.4-43.8 %, feet 21.5-21.7 %; the joints were at 59.6-59.7 % before their controller's state
        // went module-level, README), and the joints' mean (32.4-32.8 %) held with room
        for (const c of r.cpu) {
            expect(c.loadPctP99, c.board).toBeLessThanOrEqual(60)
            if (c.chip !== "ESP32-C3") expect(c.loadPct, c.board).toBeLessThanOrEqual(40)
        }
        expect(m.cpuLoadP99WalkingPct.joints).toBeLessThanOrEqual(60)
        expect(m.cpuLoadP99WalkingPct.feet).toBeLessThanOrEqual(60)
    })
})
