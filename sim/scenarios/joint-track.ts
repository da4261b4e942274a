// joint-track: one joint drives a link under gravity held by a leg-like environment spring, and the
// body controller commands a walking torque profile as feedforward (impedance mode, kp = kd = 0) at
// its command rate. The torque the actuator delivers is compared with the profile.
import type { SimResult } from "../result.ts"
import { Verdict } from "./verdict.ts"
import { TRACK_TARGETS } from "../report/targets.ts"
import { num, type ParamValues } from "../params.ts"
import type { Simulation } from "../simulation.ts"
import { linkLoad } from "../plants/loads.ts"
import { JOINT_PARAMS, addJoint, armWhenConnected, every } from "./joint-common.ts"
import { jointFaults, loopFigures } from "./joint-metrics.ts"
import { round } from "../numbers.ts"
import type { Scenario, ScenarioRun } from "./scenario.ts"
import { PLANT_STEP_US, onPlantGrid } from "../hardware/joint-board.ts"
import { trackReport } from "../report/joint-reports.ts"

const SETTLE_BEFORE_PROFILE_US = 300_000

const params = {
    ...JOINT_PARAMS,
    strideS: num(1.2, "s", 0.5, 3, "gait cycle (two steps)"),
    peakTorqueNm: num(45, "N·m", 1, 150, "peak of the torque profile"),
    commandHz: num(100, "Hz", 10, 1000, "body controller command rate (robot-walk's, and what a joint on the stock runtime keeps up with)", true),
    "link.massKg": num(8, "kg", 0, 50, "link mass"),
    "link.leverM": num(0.3, "m", 0.05, 1, "link lever"),
    "env.stiffnessNmRad": num(200, "N·m/rad", 0, 5000, "environment spring holding the link (the leg on the ground)"),
    "env.dampingNmsRad": num(5, "N·m·s/rad", 0, 500, "environment damping"),
}

/**
 * A knee-like torque over the gait cycle: an extension moment in stance with a second hump at push-
 * off and a small flexion moment in swing, normalised to a peak of 1 (two harmonics of the stride).
 */
export function gaitTorqueShape(phase: number): number {
    const w = 2 * Math.PI * phase
    return (Math.sin(w) + 0.45 * Math.sin(2 * w + 1)) / 1.3
}

async function setup(sim: Simulation, p: ParamValues): Promise<ScenarioRun> {
    const peakNm = Number(p.peakTorqueNm)
    const strideUs = Number(p.strideS) * 1e6
    const load = linkLoad({
        massKg: Number(p["link.massKg"]),
        leverM: Number(p["link.leverM"]),
        gravity: true,
        springNmPerRad: Number(p["env.stiffnessNmRad"]),
        damperNmsPerRad: Number(p["env.dampingNmsRad"]),
    })
    const joint = await addJoint(sim, p, "bench_joint", load)
    const a = joint.actuator
    const trace = sim.trace.topic("bench_joint/track", ["profileNm", "deliveredNm", "currentA", "angleRad", "windingC"])
    let startUs: number | undefined
    const profileAt = (tUs: number) => (startUs === undefined || tUs < startUs ? 0 : peakNm * gaitTorqueShape(((tUs - startUs) % strideUs) / strideUs))
    joint.onDrive(t => sim.trace.record(trace, t, [profileAt(t), a.motorTorqueNm, a.currentA, a.angleRad, a.windingC]))

    armWhenConnected(sim, joint, armedUs => {
        startUs = armedUs + SETTLE_BEFORE_PROFILE_US
        every(sim, armedUs + 10_000, Math.round(1e6 / Number(p.commandHz)), t => joint.client.impedance(0, 0, 0, 0, profileAt(t)))
    })
    let sumSq = 0
    let n = 0
    let maxCurrentA = 0
    let peakWindingC = a.windingC
    sim.integrate({
        maxStepUs: PLANT_STEP_US,
        step: (_dtS, endUs) => {
            if (!onPlantGrid(endUs)) return
            peakWindingC = Math.max(peakWindingC, a.windingC)
            if (startUs === undefined || endUs < startUs) return
            sumSq += (a.motorTorqueNm - profileAt(endUs)) ** 2
            n++
            maxCurrentA = Math.max(maxCurrentA, Math.abs(a.currentA))
        },
    })

    return {
        metrics: () => {
            if (!n) return { error: "the profile never started (not armed)" }
            return {
                ...loopFigures(joint, startUs!),
                profileSeconds: round((n * PLANT_STEP_US) / 1e6, 3),
                torqueRmsErrorNm: round(Math.sqrt(sumSq / n), 3),
                torqueRmsErrorPct: round((100 * Math.sqrt(sumSq / n)) / peakNm, 2),
                maxCurrentA: round(maxCurrentA, 2),
                currentLimitA: joint.opts.settings.peakA,
                peakWindingC: round(peakWindingC, 2),
                windingTripC: joint.opts.settings.tripC,
            }
        },
        faults: () => jointFaults(joint),
        report: result => trackReport({ trace, startUs, peakNm, metrics: result.metrics }),
    }
}

export const jointTrack: Scenario = {
    name: "joint-track",
    description: "one joint on a link under gravity tracks a walking torque profile commanded over the bus",
    defaultDurationS: 4.5,
    params,
    setup,
    failedChecks: trackFailures,
}

/** design/targets.md's torque tracking: RMS error <= 5 % of the profile's peak, current and winding temperature inside their limits; and the board's timing on the target */
export function trackFailures(r: SimResult): string | undefined {
    const v = new Verdict()
    const m = r.metrics as { torqueRmsErrorPct?: number; maxCurrentA?: number; currentLimitA: number; peakWindingC?: number; windingTripC: number }
    v.atMost("torque RMS error", m.torqueRmsErrorPct, TRACK_TARGETS.torqueRmsErrorPct, " % of the profile's peak")
    v.atMost("maximum current", m.maxCurrentA, m.currentLimitA, " A")
    if (m.peakWindingC !== undefined && !(m.peakWindingC < m.windingTripC)) v.fail(`winding ${m.peakWindingC} °C reached the trip's ${m.windingTripC} °C`)
    v.noFaults(r.faults)
    v.boardTiming(r)
    return v.result()
}
