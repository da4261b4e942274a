// robot-walk: the whole robot in the co-simulator. Twelve joint boards (and the two foot boards),
// each its own VM running the bytecode `hfw build` makes, with its own settings and plant, on one
// timed Jacdac bus per leg; the body controller walks the robot in place and reads telemetry back.
import { choice, num, type ParamValues } from "../params.ts"
import type { Simulation } from "../simulation.ts"
import { PLANT_STEP_US, onPlantGrid, type JointBoard } from "../hardware/joint-board.ts"
import { BodyController } from "../robot/body-controller.ts"
import { DEFAULT_GAIT, LEG_INERTIA_KGM2, jointAngleRad, legLoadTorqueNm, type GaitParams } from "../robot/gait.ts"
import { ROBOT_JOINTS, type JointSpec } from "../robot/joints.ts"
import { JOINT_PARAMS, addJoint } from "./joint-common.ts"
import { round } from "./joint-metrics.ts"
import type { Scenario, ScenarioRun } from "./scenario.ts"

/** tracking is scored from this long after the walk starts (the first step's transient) */
const SCORE_AFTER_START_US = 200_000

const params = {
    ...JOINT_PARAMS,
    loopHz: num(500, "Hz", 100, 1000, "the joints' loop rate (their settings)", true),
    commandHz: num(100, "Hz", 10, 500, "the body controller's setpoint rate per joint", true),
    strideS: num(DEFAULT_GAIT.strideS, "s", 0.8, 3, "gait cycle (two steps)"),
    bodyMassKg: num(DEFAULT_GAIT.bodyMassKg, "kg", 10, 150, "body mass carried by the stance leg"),
    holdS: num(0.3, "s", 0, 5, "posture held after every joint is armed, before walking"),
    "inject.stopBoard": choice("none", ["none", ...ROBOT_JOINTS.map(j => j.name)], "a board whose VM stops (it stops answering)"),
    "inject.atS": num(2, "s", 0, 3600, "when the injected stop happens"),
}

async function setup(sim: Simulation, p: ParamValues): Promise<ScenarioRun> {
    const gait: GaitParams = { ...DEFAULT_GAIT, strideS: Number(p.strideS), bodyMassKg: Number(p.bodyMassKg) }
    let controller: BodyController | undefined
    const gaitS = (tUs: number) => controller?.gaitS(tUs) ?? 0
    const joints: { spec: JointSpec; board: JointBoard }[] = []
    for (const spec of ROBOT_JOINTS) {
        const load = {
            blocked: false,
            inertiaKgM2: LEG_INERTIA_KGM2[spec.kind],
            torqueNm: (angleRad: number, _w: number, tS: number) => legLoadTorqueNm(gait, spec.leg, spec.kind, angleRad, gaitS(tS * 1e6)),
        }
        const q0 = jointAngleRad(gait, spec.leg, spec.kind, 0)
        const board = await addJoint(sim, { ...p, actuator: spec.actuator }, spec.name, load, q0, `${spec.leg}_leg_bus`)
        joints.push({ spec, board })
    }
    controller = new BodyController(sim, gait, joints, Math.round(1e6 / Number(p.commandHz)), Number(p.holdS) * 1e6)
    controller.start()
    const stopped = joints.find(j => j.spec.name === p["inject.stopBoard"])
    if (stopped) sim.clock.schedule(Number(p["inject.atS"]) * 1e6, () => stopped.board.vm.stop())

    const topics = joints.map(j => sim.trace.topic(`joint/${j.spec.name}`, ["referenceRad", "angleRad", "currentA", "torqueNm"]))
    joints.forEach((j, k) =>
        j.board.onDrive(t => {
            const a = j.board.actuator
            sim.trace.record(topics[k], t, [controller!.referenceRad(j.spec, t), a.angleRad, a.currentA, a.motorTorqueNm])
        })
    )
    const sq = new Map<string, { sum: number; n: number; max: number }>()
    for (const j of joints) sq.set(j.spec.name, { sum: 0, n: 0, max: 0 })
    sim.integrate({
        maxStepUs: PLANT_STEP_US,
        step: (_dtS, endUs) => {
            if (!onPlantGrid(endUs)) return
            const start = controller!.walkStartUs
            if (start === undefined || endUs < start + SCORE_AFTER_START_US) return
            for (const j of joints) {
                if (j === stopped && endUs >= Number(p["inject.atS"]) * 1e6) continue
                const e = j.board.actuator.angleRad - controller!.referenceRad(j.spec, endUs)
                const s = sq.get(j.spec.name)!
                s.sum += e * e
                s.n++
                s.max = Math.max(s.max, Math.abs(e))
            }
        },
    })

    return {
        metrics: () => {
            const all = [...sq.values()]
            const n = all.reduce((s, x) => s + x.n, 0)
            if (!n) return { error: "the robot never started walking (a joint did not arm)", armedJoints: joints.filter(j => j.board.client.connected).length }
            const deg = (rad: number) => (rad * 180) / Math.PI
            const perJoint = Object.fromEntries([...sq].map(([k, s]) => [k, round(deg(Math.sqrt(s.sum / s.n)), 3)]))
            return {
                walkSeconds: round(n / joints.length / (1e6 / PLANT_STEP_US), 2),
                jointTrackingRmsDeg: round(deg(Math.sqrt(all.reduce((s, x) => s + x.sum, 0) / n)), 3),
                jointTrackingMaxDeg: round(deg(Math.max(...all.map(x => x.max))), 3),
                jointTrackingRmsDegByJoint: perJoint,
                loopOverruns: joints.reduce((s, j) => s + (j.board.client.telemetry?.overruns ?? 0), 0),
                boardsNotAnswering: controller!.silent.map(x => ({ board: x.board, tS: round(x.tUs / 1e6, 3) })),
            }
        },
        faults: () => joints.flatMap(j => j.board.client.faults.map(f => ({ board: j.spec.name, code: f.name, tS: f.tUs / 1e6 }))),
    }
}

export const robotWalk: Scenario = {
    name: "robot-walk",
    description: "12 joint boards on two leg buses, walking in place under the body controller",
    defaultDurationS: 4,
    params,
    setup,
}
