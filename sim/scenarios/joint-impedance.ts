// joint-impedance: one joint on a horizontal link, commanded in impedance mode. A position step
// (overshoot, settling), then, holding the setpoint, an external torque pushed one way and the other
// while the joint's deflection is measured: the stiffness the joint renders, against kp.
import type { SimResult } from "../result.ts"
import { Verdict } from "./verdict.ts"
import { IMPEDANCE_TARGETS } from "../report/targets.ts"
import { num, type ParamValues } from "../params.ts"
import type { Simulation } from "../simulation.ts"
import { linkLoad } from "../plants/loads.ts"
import { JOINT_PARAMS, addJoint, armWhenConnected, every } from "./joint-common.ts"
import { jointFaults, loopFigures } from "./joint-metrics.ts"
import { round } from "../numbers.ts"
import type { Scenario, ScenarioRun } from "./scenario.ts"
import { PLANT_STEP_US, onPlantGrid } from "../hardware/joint-board.ts"
import { impedanceReport } from "../report/joint-reports.ts"

const COMMAND_PERIOD_US = 10_000
const SETTLE_BEFORE_STEP_US = 300_000

const params = {
    ...JOINT_PARAMS,
    positionStepRad: num(0.5, "rad", -2, 2, "position setpoint step"),
    kpNmRad: num(100, "N·m/rad", 0, 2000, "impedance stiffness"),
    dampingRatio: num(0.7, "", 0.05, 3, "kd is set for this damping ratio of the link's inertia"),
    "link.massKg": num(5, "kg", 0, 50, "link mass"),
    "link.leverM": num(0.3, "m", 0.05, 1, "link lever"),
    settleS: num(1.5, "s", 0.2, 10, "time allowed to settle before the stiffness test"),
    pushNm: num(20, "N·m", 1, 100, "external torque of the stiffness test"),
    pushS: num(0.6, "s", 0.2, 5, "duration of each push"),
}

async function setup(sim: Simulation, p: ParamValues): Promise<ScenarioRun> {
    const stepRad = Number(p.positionStepRad)
    const kp = Number(p.kpNmRad)
    let pushNm = 0
    const load = linkLoad({ massKg: Number(p["link.massKg"]), leverM: Number(p["link.leverM"]), gravity: false, externalNm: () => pushNm })
    const joint = await addJoint(sim, p, "bench_joint", load)
    const a = joint.actuator
    const inertia = load.inertiaKgM2 + a.p.gearRatio ** 2 * a.p.rotorInertiaKgM2
    const kd = 2 * Number(p.dampingRatio) * Math.sqrt(kp * inertia)
    const trace = sim.trace.topic("bench_joint/impedance", ["angleRad", "setpointRad", "velocityRadS", "currentA", "externalNm"])
    let setpoint = 0
    joint.onDrive(t => sim.trace.record(trace, t, [a.angleRad, setpoint, a.velocityRadS, a.currentA, pushNm]))

    let stepUs: number | undefined
    const step: { t: number[]; angle: number[] } = { t: [], angle: [] }
    const pushes: { angle: number[]; torque: number[] }[] = [
        { angle: [], torque: [] },
        { angle: [], torque: [] },
    ]
    const settleUs = Number(p.settleS) * 1e6
    const pushUs = Number(p.pushS) * 1e6
    armWhenConnected(sim, joint, armedUs => {
        stepUs = armedUs + SETTLE_BEFORE_STEP_US
        every(sim, armedUs + COMMAND_PERIOD_US, COMMAND_PERIOD_US, t => {
            setpoint = t >= stepUs! ? stepRad : 0
            const since = t - stepUs!
            pushNm = since < settleUs ? 0 : since < settleUs + pushUs ? Number(p.pushNm) : since < settleUs + 2 * pushUs ? -Number(p.pushNm) : 0
            joint.client.impedance(setpoint, 0, kp, kd, 0)
        })
    })
    sim.integrate({
        maxStepUs: PLANT_STEP_US,
        step: (_dtS, endUs) => {
            if (!onPlantGrid(endUs)) return
            if (stepUs === undefined || endUs < stepUs) return
            const since = endUs - stepUs
            if (since < settleUs) {
                step.t.push(since)
                step.angle.push(a.angleRad)
            }
            // the last third of each push, once the joint has come to rest against it
            for (const [k, start] of [settleUs, settleUs + pushUs].entries())
                if (since >= start + (2 * pushUs) / 3 && since < start + pushUs) {
                    pushes[k].angle.push(a.angleRad)
                    pushes[k].torque.push(a.motorTorqueNm)
                }
        },
    })

    return {
        metrics: () => {
            if (!step.t.length || !pushes[1].angle.length) return { error: "the run ended before the stiffness test (raise --duration)" }
            const peak = Math.max(...step.angle.map(x => x * Math.sign(stepRad)))
            const band = 0.02 * Math.abs(stepRad)
            let settledUs = 0
            step.angle.forEach((x, i) => {
                if (Math.abs(x - stepRad) > band) settledUs = step.t[i]
            })
            const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
            const stiffness = (mean(pushes[0].torque) - mean(pushes[1].torque)) / (mean(pushes[1].angle) - mean(pushes[0].angle))
            return {
                ...loopFigures(joint, stepUs!),
                kpNmRad: kp,
                kdNmsRad: round(kd, 3),
                positionOvershootPct: round(Math.max(0, (100 * (peak - Math.abs(stepRad))) / Math.abs(stepRad)), 2),
                settlingTimeMs: round(settledUs / 1000, 1),
                finalPositionErrorRad: round(Math.abs(step.angle[step.angle.length - 1] - stepRad), 5),
                measuredStiffnessNmRad: round(stiffness, 2),
                stiffnessErrorPct: round((100 * Math.abs(stiffness - kp)) / kp, 2),
            }
        },
        faults: () => jointFaults(joint),
        report: result => impedanceReport({ trace, stepUs, settleUs, pushUs, stepRad, metrics: result.metrics }),
    }
}

export const jointImpedance: Scenario = {
    name: "joint-impedance",
    description: "one joint on a link in impedance mode: position step, then the stiffness it renders against kp",
    defaultDurationS: 4,
    params,
    setup,
    failedChecks: impedanceFailures,
}

/** design/targets.md's impedance: the stiffness measured within 5 % of kp, the position step's overshoot <= 10 %; and the board's timing on the target */
export function impedanceFailures(r: SimResult): string | undefined {
    const v = new Verdict()
    const m = r.metrics as { stiffnessErrorPct?: number; positionOvershootPct?: number }
    v.atMost("stiffness error", m.stiffnessErrorPct, IMPEDANCE_TARGETS.stiffnessErrorPct, " % of kp")
    v.atMost("position overshoot", m.positionOvershootPct, IMPEDANCE_TARGETS.positionOvershootPct, " %")
    v.noFaults(r.faults)
    v.boardTiming(r)
    return v.result()
}
