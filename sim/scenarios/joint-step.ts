// joint-step: one joint board, blocked output, a current step (0 -> 10 A by default) commanded by the
// body controller over the bus once the joint is armed. Figures come from the plant's true current,
// sampled at the plant's integration step.
import { num, type ParamValues } from "../params.ts"
import type { Simulation } from "../simulation.ts"
import { stepResponse } from "../metrics/step-response.ts"
import { JOINT_PARAMS, addJoint, armWhenConnected, every } from "./joint-common.ts"
import { loopFigures, round } from "./joint-metrics.ts"
import type { Scenario, ScenarioRun } from "./scenario.ts"

/** commands repeat within the watchdog timeout (100 ms by default) */
const COMMAND_PERIOD_US = 20_000
/** the step comes this long after arming: the offset is calibrated and the loop is steady */
const SETTLE_BEFORE_STEP_US = 300_000
/** the firmware has acted on the step once the bridge voltage moves this far */
const STEP_ACTION_V = 0.3

const params = {
    ...JOINT_PARAMS,
    stepA: num(10, "A", -60, 60, "current step"),
}

async function setup(sim: Simulation, p: ParamValues): Promise<ScenarioRun> {
    const stepA = Number(p.stepA)
    const joint = await addJoint(sim, p, "bench_joint", { blocked: true, inertiaKgM2: 0, torqueNm: () => 0 })
    const trace = sim.trace.topic("bench_joint/actuator", ["currentA", "voltageV", "windingC"])
    joint.onDrive(t => sim.trace.record(trace, t, [joint.actuator.currentA, joint.voltageV, joint.actuator.windingC]))

    let commandUs: number | undefined
    let actedUs: number | undefined
    const tUs: number[] = []
    const iA: number[] = []
    armWhenConnected(sim, joint, armedUs =>
        every(sim, armedUs + SETTLE_BEFORE_STEP_US, COMMAND_PERIOD_US, t => {
            commandUs ??= t
            joint.client.current(stepA)
        })
    )
    joint.onDrive(t => {
        if (commandUs !== undefined && actedUs === undefined && Math.abs(joint.voltageV) > STEP_ACTION_V) actedUs = t
    })
    sim.integrate({
        maxStepUs: 20,
        step: (_dtS, endUs) => {
            if (actedUs === undefined) return
            tUs.push(endUs)
            iA.push(joint.actuator.currentA)
        },
    })

    return {
        metrics: () => {
            if (actedUs === undefined || tUs.length < 100)
                return { error: "the joint never acted on the step (not armed, or faulted)", faults: joint.client.faults }
            const r = stepResponse(tUs, iA, actedUs, 0, stepA)
            const periodMs = 1000 / Number(p.loopHz)
            return {
                ...loopFigures(joint, actedUs),
                commandLatencyMs: round((actedUs - commandUs!) / 1000, 3),
                riseTimeMs: round(r.riseTimeMs, 3),
                riseTimePeriods: round(r.riseTimeMs / periodMs, 2),
                overshootPct: round(r.overshootPct, 2),
                settlingTimeMs: round(r.settlingTimeMs, 3),
                settlingTimePeriods: round(r.settlingTimeMs / periodMs, 2),
                steadyStateErrorPct: round(r.steadyStateErrorPct, 3),
                finalCurrentA: round(r.finalValue, 3),
            }
        },
        faults: () => joint.client.faults.map(f => ({ board: joint.name, code: f.name, tS: f.tUs / 1e6 })),
    }
}

export const jointStep: Scenario = {
    name: "joint-step",
    description: "one joint, blocked output, current step 0 -> stepA; rise, overshoot, settling, loop timing",
    defaultDurationS: 1.5,
    params,
    setup,
}
