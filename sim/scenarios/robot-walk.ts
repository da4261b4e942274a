// robot-walk: the whole robot in the co-simulator. Twelve joint boards and two foot boards, each its
// own VM running the bytecode `hfw build` makes, with its own settings and plant, on one timed Jacdac
// bus per leg (six joints and a foot). The robot hangs (on its gantry) until the walk starts; the
// body controller arms every joint, then walks the robot in place and reads telemetry and contact
// events back. Each joint feels the vertical force its leg's foot plant carries.
import type { SimResult } from "../result.ts"
import { Verdict } from "./verdict.ts"
import { WALK_TARGETS } from "../report/targets.ts"
import { choice, num, type ParamValues } from "../params.ts"
import type { Simulation } from "../simulation.ts"
import type { BusSegment } from "../bus/segment.ts"
import { PLANT_STEP_US, type JointBoard } from "../hardware/joint-board.ts"
import { BodyController } from "../robot/body-controller.ts"
import { LegSetpointsHost } from "../clients/leg-setpoints.ts"
import { DEFAULT_GAIT, legLoad, legPhase, type GaitParams } from "../robot/gait.ts"
import { ROBOT_JOINTS, type JointSpec, type Leg } from "../robot/joints.ts"
import { addFootBoard } from "../hardware/foot-board.ts"
import { Gait } from "../plants/gait.ts"
import { latencyStats, matchEvents } from "../metrics/foot-contact.ts"
import { JOINT_PARAMS, addJoint } from "./joint-common.ts"
import { jointFaults } from "./joint-metrics.ts"
import { round } from "../numbers.ts"
import type { Scenario, ScenarioRun } from "./scenario.ts"
import { walkReport } from "../report/walk-report.ts"
import { RestartWatch, RESTART_SETTLE_US } from "./restart-watch.ts"
import { UsageError } from "../errors.ts"
import { BOOT_MS, BROWN_OUT_OFF_MS } from "../vm/board-vm.ts"
import { robotWalkLayout } from "../report/foxglove-layout.ts"
import { TrackingScore } from "./tracking-score.ts"

/** tracking is scored from this long after the walk starts (the first step's transient) */
const SCORE_AFTER_START_US = 200_000
/**
 * tracking is scored every millisecond: the joints' loops run at 100 Hz, and scoring every plant step
 * (50 µs) cost about 6 % of the run's host time for the same figures within their last digit or two
 */
const SCORE_PERIOD_US = 1000

const params = {
    ...JOINT_PARAMS,
    commandHz: num(100, "Hz", 10, 500, "the body controller's setpoint rate per joint", true),
    strideS: num(DEFAULT_GAIT.strideS, "s", 0.8, 3, "gait cycle (two steps)"),
    bodyMassKg: num(DEFAULT_GAIT.bodyMassKg, "kg", 10, 150, "body mass carried by the stance leg"),
    walkStartS: num(1.2, "s", 0.8, 60, "when the walk starts (every board boots, calibrates and is armed before)"),
    "foot.noiseN": num(1.5, "N", 0, 30, "load cell noise of the feet"),
    "foot.driftNPerMin": num(2, "N/min", 0, 60, "load cell zero drift of the feet"),
    "inject.stopBoard": choice("none", ["none", ...ROBOT_JOINTS.map(j => j.name)], "a board whose VM stops (it stops answering)"),
    "inject.restartBoard": choice("none", ["none", ...ROBOT_JOINTS.map(j => j.name), "left_foot", "right_foot"], "a board that browns out and restarts from its flash (program and settings kept, RAM lost)"),
    "inject.atS": num(2, "s", 0, 3600, "when the injected stop or restart happens (inside the run)"),
    "inject.offMs": num(BROWN_OUT_OFF_MS, "ms", 1, 10_000, "a restart's brown-out: how long the board's supply stays too low"),
    "inject.bootMs": num(BOOT_MS, "ms", 0, 10_000, "a restart's boot: from power back to the runtime starting the program"),
}

/** an injected stop or restart must fall inside the run */
function checkParams(p: ParamValues, durationS: number) {
    if (p["inject.stopBoard"] === "none" && p["inject.restartBoard"] === "none") return
    const atS = Number(p["inject.atS"])
    if (!(atS > 0 && atS < durationS))
        throw new UsageError(`parameter inject.atS=${atS} is outside the run; a time in s after 0 and before the run's end (--duration ${durationS})`)
}

async function setup(sim: Simulation, p: ParamValues): Promise<ScenarioRun> {
    const gait: GaitParams = { ...DEFAULT_GAIT, strideS: Number(p.strideS), bodyMassKg: Number(p.bodyMassKg) }
    const walkStartS = Number(p.walkStartS)
    const legs: Leg[] = ["left", "right"]
    // the feet's stances: the left foot touches down after the first swing, the right half a stride later
    const feetGaits = Object.fromEntries(
        legs.map((leg, k) => [
            leg,
            new Gait(
                {
                    steps: Math.ceil(3600 / gait.strideS),
                    stepPeriodS: gait.strideS / 2,
                    stanceFraction: gait.stanceFraction,
                    stepJitterPct: 0,
                    startDelayS: walkStartS + (k * gait.strideS) / 2,
                },
                sim.random.fork(`${leg}_foot/gait`)
            ),
        ])
    ) as Record<Leg, Gait>
    // each leg's phase at the last instant asked: the tracking score asks it for six joints every plant step
    const lastPhase = Object.fromEntries(legs.map(leg => [leg, { tUs: NaN, phase: undefined as number | undefined }])) as Record<Leg, { tUs: number; phase: number | undefined }>
    const phaseOf = (leg: Leg, tUs: number) => {
        const last = lastPhase[leg]
        if (last.tUs !== tUs) {
            last.tUs = tUs
            last.phase = legPhase(gait, feetGaits[leg], tUs)
        }
        return last.phase
    }
    const footParams = {
        ...FOOT_DEFAULTS,
        noiseN: Number(p["foot.noiseN"]),
        driftNPerMin: Number(p["foot.driftNPerMin"]),
        bodyWeightN: gait.bodyMassKg * 9.81,
    }
    // boards are added one after the other: a VM's start-up awaits WASM compilation, whose order of
    // completion is the host's, and the order boards are added in is part of the run
    const feet: Record<string, Awaited<ReturnType<typeof addFootBoard>>> = {}
    for (const leg of legs) {
        feet[leg] = await addFootBoard(sim, `${leg}_foot`, feetGaits[leg], footParams, busOf(sim, leg))
        feet[leg].keep.reportErrors = false // an hour's would not be flat
    }
    const joints: { spec: JointSpec; board: JointBoard }[] = []
    for (const spec of ROBOT_JOINTS) {
        const foot = feet[spec.leg]
        const load = legLoad(spec.kind, foot.ground)
        const board = await addJoint(sim, { ...p, actuator: spec.actuator }, spec.name, load, 0, busOf(sim, spec.leg).name, { legSlot: spec.slot })
        board.client.keepHistory = false // an hour's telemetry log would not be flat
        joints.push({ spec, board })
    }
    const legFrames = Object.fromEntries(legs.map(leg => [leg, new LegSetpointsHost(busOf(sim, leg), `${leg}_leg/body`)])) as Record<Leg, LegSetpointsHost>
    const controller = new BodyController(sim, gait, phaseOf, joints, Math.round(1e6 / Number(p.commandHz)), legFrames)
    controller.start()
    for (const leg of legs) {
        feet[leg].listeners.report = (stamp, atUs) => controller.footReport(leg, stamp, atUs)
        feet[leg].listeners.event = e => controller.footEvent(leg, e)
    }
    const walkStartUs = walkStartS * 1e6
    const stopped = joints.find(j => j.spec.name === p["inject.stopBoard"])
    if (stopped) sim.clock.schedule(Number(p["inject.atS"]) * 1e6, () => stopped.board.vm.stop())
    const restartOpts = { atUs: Number(p["inject.atS"]) * 1e6, offMs: Number(p["inject.offMs"]), bootMs: Number(p["inject.bootMs"]) }
    const restartedJoint = joints.find(j => j.spec.name === p["inject.restartBoard"])
    const restartedVm = restartedJoint?.board.vm ?? sim.boards.find(b => b.name === p["inject.restartBoard"])
    const restart =
        restartedVm &&
        (await RestartWatch.start(sim, restartedVm, restartOpts, controller.guard, restartedJoint, (spec, t) => controller.referenceRad(spec, t)))

    const topics = joints.map(j => sim.trace.topic(`${j.spec.name}/joint`, ["referenceRad", "angleRad", "currentA", "torqueNm"]))
    joints.forEach((j, k) =>
        j.board.onDrive(t => {
            const a = j.board.actuator
            sim.trace.record(topics[k], t, [controller.referenceRad(j.spec, t), a.angleRad, a.currentA, a.motorTorqueNm])
        })
    )
    const tracking = new TrackingScore(joints.map(j => j.spec.name))
    const injectedUs = Number(p["inject.atS"]) * 1e6
    sim.integrate({
        maxStepUs: PLANT_STEP_US,
        step: (_dtS, endUs) => {
            if (endUs % SCORE_PERIOD_US !== 0) return
            if (endUs < walkStartUs + SCORE_AFTER_START_US) return
            for (const j of joints) {
                if (j === stopped && endUs >= injectedUs) continue
                // the restarted joint from its power loss until the body controller notices (then as below)
                if (j === restartedJoint && endUs >= injectedUs && !controller.guard.incidents.some(i => i.board === j.spec.name)) continue
                // a leg damped for a lost joint is not walking, until it has settled after the re-arm
                if (controller.guard.excused(j.spec.leg, endUs, RESTART_SETTLE_US)) continue
                tracking.add(j.spec.name, endUs, j.board.actuator.angleRad - controller.referenceRad(j.spec, endUs))
            }
        },
    })

    return {
        metrics: () => {
            const n = tracking.samples
            if (!n) return { error: "the run ended before the walk started (raise --duration)" }
            const ages = latencyStats(controller.contactAgesUs)
            const byMinute = tracking.byMinute()
            const worstMinute = byMinute.rmsDeg.reduce<number>((w, r, m) => (r !== null && r > (byMinute.rmsDeg[w] ?? -1) ? m : w), 0)
            const heapGrowths = sim.boards.map(b => b.cpu.heapGrowthAfterFirstMinuteBytes()).filter(g => g !== undefined)
            return {
                walkSeconds: round(n / joints.length / (1e6 / SCORE_PERIOD_US), 2),
                jointTrackingRmsDeg: tracking.rmsDeg(),
                jointTrackingMaxDeg: tracking.maxDeg(),
                jointTrackingRmsDegByJoint: tracking.rmsDegByJoint(),
                jointTrackingMaxDegByJoint: tracking.maxDegByJoint(),
                // a long walk, minute by minute (the first element: 0 to 60 s of the run): the worst
                // joint's RMS and which joint; the worst minute (numbered from 1)
                trackingByMinute: byMinute,
                worstMinuteTrackingRmsDeg: byMinute.rmsDeg[worstMinute],
                worstMinuteTrackingAt: { minute: worstMinute + 1, joint: byMinute.worstJoint[worstMinute] },
                // every board's missed control periods after the boot (each board's in its cpu entry)
                deadlineMissesAfterFirstSecond: sim.boards.reduce((s, b) => s + b.cpu.deadlineMissesAfterFirstSecond, 0),
                // the most any board's heap high-water in a later minute went above its first minute's
                // (<= 0: flat; each board's per minute is in its cpu entry); null in a run of one minute
                heapGrowthAfterFirstMinuteBytes: heapGrowths.length ? Math.max(...heapGrowths) : null,
                jointsArmedBeforeWalk: controller.allArmed,
                loopOverruns: joints.reduce((s, j) => s + (j.board.client.telemetry?.overruns ?? 0), 0),
                boardsNotAnswering: controller.silent.map(x => ({ board: x.board, tS: round(x.tUs / 1e6, 3) })),
                restarts: restart ? [restart.summary()] : [],
                contactEvents: contactEvents(feet, feetGaits, sim.clock.nowUs),
                // each event's age on arrival at the body controller (arrival minus its sample's time on
                // the body controller's clock: beyond the fastest report's delivery, which no clock sync
                // reveals), and stances it walked without the foot's touchdown
                contactEventAgeMs: { p50: ages.p50, p99: ages.p99 },
                unconfirmedStances: controller.unconfirmedStances.size,
                // the boards' CPU while walking (the start-up's arming, calibration and first setpoints
                // are in each board's whole-run cpu figures)
                cpuLoadP99WalkingPct: {
                    joints: Math.max(...joints.map(j => j.board.vm.cpu.loadPctP99Between(walkStartUs, sim.clock.nowUs))),
                    feet: Math.max(...legs.map(leg => feet[leg].vm.cpu.loadPctP99Between(walkStartUs, sim.clock.nowUs))),
                },
                // the start-up burst (every board announcing and being polled) is in busPeakWindowLoadPct
                busPeakLoadWalkingPct: round(
                    Math.max(
                        ...sim.segments
                            .filter(seg => seg.timed)
                            .flatMap(seg => seg.windowBusyUs.filter((_, w) => w * seg.loadWindowUs >= walkStartUs).map(b => (100 * b) / seg.loadWindowUs))
                    ),
                    2
                ),
            }
        },
        faults: () => [
            ...joints.flatMap(j => jointFaults(j.board)),
            ...Object.values(feet).flatMap(f => f.faults),
        ],
        report: result => ({
            ...walkReport({
                joints: joints.map((j, k) => ({ name: j.spec.name, trace: topics[k] })),
                feet: legs.map(leg => ({ name: `${leg}_foot`, stances: feetGaits[leg].stances, events: feet[leg].events })),
                walkStartUs,
                endUs: sim.clock.nowUs,
                stopped: stopped && { board: stopped.spec.name, atUs: Number(p["inject.atS"]) * 1e6 },
                silent: controller.silent,
                result,
            }),
            foxgloveLayout: robotWalkLayout({
                legs: legs.map(leg => joints.filter(j => j.spec.leg === leg).map(j => j.spec.name)),
                feet: legs.map(leg => `${leg}_foot`),
            }),
        }),
    }
}


/** the foot plant's figures (the foot-gait scenario's defaults) */
const FOOT_DEFAULTS = {
    creepPct: 0.3,
    ringingN: 20,
    swingAccelMps2: 30,
    soleMassKg: 0.3,
    touchdownSpeedMps: 0.35,
    legMassKg: 6,
    groundStiffnessNPerM: 1.5e5,
    groundDampingRatio: 0.5,
    sampleMs: 10,
    "fault.kind": "none",
    "fault.cell": 0,
    "fault.atS": 0,
    offsetStepN: 0,
    offsetStepAtS: 0,
    tareAtS: 0,
}

/**
 * A leg's bus. Its host is the body controller, which asks the boards what its code asks and nothing
 * more: not jacdac-ts' own polling for a dashboard (every register someone listens to, scanned every
 * 50 ms, and each device's description and firmware version), which woke the boards for nothing and
 * cost the simulator about 3 % of a walk.
 */
function busOf(sim: Simulation, leg: Leg): BusSegment {
    const name = `${leg}_leg_bus`
    const existing = sim.segments.find(s => s.name === name)
    if (existing) return existing
    const bus = sim.addSegment(name, true)
    bus.bus.backgroundRefreshRegisters = false
    return bus
}

/** every true touchdown and liftoff that completed during the run, matched with the boards' events */
function contactEvents(feet: Record<string, Awaited<ReturnType<typeof addFootBoard>>>, gaits: Record<Leg, Gait>, endUs: number) {
    let seen = 0
    let missed = 0
    let invented = 0
    for (const leg of ["left", "right"] as Leg[]) {
        const stances = gaits[leg].stances
        const events = feet[leg].events
        for (const kind of ["touchdown", "liftoff"] as const) {
            const trueUs = stances.map(s => (kind === "touchdown" ? s.touchdownUs : s.liftoffUs)).filter(t => t < endUs - 100_000)
            const boardUs = events.filter(e => e.kind === kind).map(e => e.atUs)
            const m = matchEvents(trueUs, boardUs)
            seen += m.latenciesUs.length
            missed += m.unmatchedTrue
            // invented: a board event matching no true event, among those early enough that they
            // cannot be the detection of a true event left out above (the last 100 ms, and a board
            // event may come up to 20 ms before its true event)
            invented += matchEvents(trueUs, boardUs.filter(t => t < endUs - 120_000)).unmatchedBoard
        }
    }
    return { seen, missed, invented }
}

export const robotWalk: Scenario = {
    name: "robot-walk",
    description: "12 joint boards and 2 foot boards on two leg buses, walking in place under the body controller",
    defaultDurationS: 5,
    params,
    checkParams,
    setup,
    failedChecks: walkFailures,
}

/**
 * design/targets.md's whole-robot targets (tracking, bus load, every contact seen and none invented)
 * and every board's timing on the target; no fault and every board answering. A board stopped or
 * restarted on purpose (inject.*) is left out of the board checks: what it does is the run's question
 */
export function walkFailures(r: SimResult): string | undefined {
    const v = new Verdict()
    const m = r.metrics as { jointTrackingRmsDeg?: number; contactEvents?: { missed: number; invented: number }; boardsNotAnswering?: { board: string }[] }
    v.atMost("joint tracking RMS", m.jointTrackingRmsDeg, WALK_TARGETS.trackingRmsDeg, " deg")
    for (const [segment, loadPct] of Object.entries(r.busLoadBySegment)) v.atMost(`${segment}'s load`, loadPct, WALK_TARGETS.busLoadPct, " %")
    v.atMost("contact events missed", m.contactEvents?.missed, 0)
    v.atMost("contact events invented", m.contactEvents?.invented, 0)
    const injected = new Set([r.params["inject.stopBoard"], r.params["inject.restartBoard"]])
    v.noFaults(r.faults.filter(f => !injected.has(f.board)))
    const silent = (m.boardsNotAnswering ?? []).filter(b => !injected.has(b.board))
    if (silent.length) v.fail(`boards not answering: ${silent.map(b => b.board).join(", ")}`)
    v.boardTiming({ ...r, cpu: r.cpu.filter(c => !injected.has(c.board)) })
    return v.result()
}
