// joint-step: one joint board, blocked output, a train of current steps (0 -> 10 A by default)
// commanded by the body controller over the bus once the joint is armed. The true current is
// recorded at the plant's integration step after each rising edge, and the edges are averaged
// (as a bench engineer averages sweeps on a scope; edges align to within one plant step) so that
// sensor noise, which the loop passes into the current, does not hide the response; the noise that
// remains is reported on its own.
import type { SimResult } from "../result.ts"
import { Verdict } from "./verdict.ts"
import { STEP_TARGETS } from "../report/targets.ts"
import { num, type ParamValues } from "../params.ts"
import type { Simulation } from "../simulation.ts"
import { stepResponse } from "../metrics/step-response.ts"
import { JOINT_PARAMS, addJoint, armWhenConnected, every, loopHzOf } from "./joint-common.ts"
import { AMPS_PER_IQ_COUNT } from "../../devs/joint/board-constants.ts"
import { blockedLoad } from "../plants/loads.ts"
import { jointFaults, loopFigures } from "./joint-metrics.ts"
import { round } from "../numbers.ts"
import { UsageError } from "../errors.ts"
import type { Scenario, ScenarioRun } from "./scenario.ts"
import { PLANT_STEP_US, onPlantGrid } from "../hardware/joint-board.ts"
import { stepReport } from "../report/joint-reports.ts"

/** the body controller's command period: edges fall on it, and it feeds the 100 ms watchdog */
const COMMAND_PERIOD_US = 10_000
/** the steps start this long after arming: the offset is calibrated and the loop is steady */
const SETTLE_BEFORE_STEPS_US = 300_000
/**
 * The firmware has acted on an edge once the bridge voltage moves this far from its resting value
 * (its own current loop), or once the current target it gives the chip is over half the step (the
 * chip's: the response is measured from the instant the target reaches the chip).
 */
const STEP_ACTION_V = 0.3

const DEFAULT_DURATION_S = 2
/** the step train's default period, unless the firmware's own current loop needs a longer one */
const DEFAULT_STEP_PERIOD_MS = 100
/**
 * by default a step is on for at least this many periods of the firmware's current loop: the loop
 * removes about half its error a period, and at 200 Hz a step 50 ms on left the record's tail still
 * settling (0.75-1.66 % "steady-state" error over four seeds, 0.003-0.43 % with 100 ms on)
 */
const FIRMWARE_LOOP_PERIODS_ON = 20
/** the joint is armed and its steps start by this long into the run (boot, connection, calibration, SETTLE_BEFORE_STEPS_US) */
const STEPS_START_BY_S = 1

const params = {
    ...JOINT_PARAMS,
    stepA: num(10, "A", -60, 60, "current step"),
    steps: num(10, "steps", 1, 1000, "rising edges averaged", true),
    stepPeriodMs: num(NaN, "ms", 60, 10000, `period of the step train (half on, half off), a multiple of 20 ms (auto: ${DEFAULT_STEP_PERIOD_MS}, or ${FIRMWARE_LOOP_PERIODS_ON} periods of the firmware's current loop on, where that is longer)`, true),
}

/**
 * a step's edges fall on the body controller's command period, so each half is a whole number of them
 * (and at least 60 ms in all: each edge's record, its half less two command periods, needs 5 ms)
 */
function checkParams(p: ParamValues) {
    const periodMs = Number(p.stepPeriodMs)
    const multipleMs = (2 * COMMAND_PERIOD_US) / 1000
    if (!Number.isNaN(periodMs) && periodMs % multipleMs !== 0)
        throw new UsageError(`parameter stepPeriodMs=${periodMs} is not accepted; a multiple of ${multipleMs} ms (each half of the train is whole command periods of ${COMMAND_PERIOD_US / 1000} ms), or auto`)
}

/** the step train's period: as given, or the default for the current loop and its rate */
function stepPeriodMsOf(p: ParamValues): number {
    if (!Number.isNaN(Number(p.stepPeriodMs))) return Number(p.stepPeriodMs)
    if (p.currentLoop !== "firmware") return DEFAULT_STEP_PERIOD_MS
    const onMs = (FIRMWARE_LOOP_PERIODS_ON * 1000) / loopHzOf(p)
    return Math.max(DEFAULT_STEP_PERIOD_MS, Math.ceil((2 * onMs) / 20) * 20)
}

async function setup(sim: Simulation, p: ParamValues): Promise<ScenarioRun> {
    const stepA = Number(p.stepA)
    const halfUs = (stepPeriodMsOf(p) * 1000) / 2
    const joint = await addJoint(sim, p, "bench_joint", blockedLoad)
    const trace = sim.trace.topic("bench_joint/actuator", ["currentA", "currentRefA", "voltageV", "windingC"])
    let commandA = 0
    joint.onDrive(t => sim.trace.record(trace, t, [joint.actuator.currentA, commandA, joint.voltageV, joint.actuator.windingC]))

    const edges: { commandUs: number; actedUs?: number; samples: number[] }[] = []
    let firstStepUs: number | undefined
    armWhenConnected(sim, joint, armedUs => {
        firstStepUs = armedUs + SETTLE_BEFORE_STEPS_US
        every(sim, firstStepUs, COMMAND_PERIOD_US, t => {
            const phase = Math.floor((t - firstStepUs!) / halfUs)
            const on = phase % 2 === 0 && phase / 2 < Number(p.steps)
            if (on && commandA === 0) edges.push({ commandUs: t, samples: [] })
            commandA = on ? stepA : 0
            joint.client.current(commandA)
        })
    })
    const acting = () =>
        joint.chip.torqueMode
            ? Math.abs(joint.chip.targetCounts * AMPS_PER_IQ_COUNT) > Math.abs(stepA) / 2
            : Math.abs(joint.voltageV) > STEP_ACTION_V
    joint.onDrive(t => {
        const e = edges[edges.length - 1]
        if (e && e.actedUs === undefined && acting()) e.actedUs = t
    })
    const recordUs = halfUs - 2 * COMMAND_PERIOD_US
    sim.integrate({
        maxStepUs: PLANT_STEP_US,
        step: (_dtS, endUs) => {
            if (!onPlantGrid(endUs)) return
            const e = edges[edges.length - 1]
            if (e?.actedUs !== undefined && endUs - e.actedUs <= recordUs) e.samples.push(joint.actuator.currentA)
        },
    })

    /** the edges' responses averaged, from the instant the firmware acted on each; null before any */
    const averaged = () => {
        const n = Math.min(...edges.map(e => e.samples.length))
        const complete = edges.filter(e => e.actedUs !== undefined && e.samples.length >= n && n > 100)
        if (!complete.length) return null
        const mean: number[] = []
        const t: number[] = []
        for (let i = 0; i < n; i++) {
            t.push(i * PLANT_STEP_US)
            mean.push(complete.reduce((s, e) => s + e.samples[i], 0) / complete.length)
        }
        return { n, complete, t, mean, response: stepResponse(t, mean, 0, 0, stepA) }
    }
    const periodMs = 1000 / loopHzOf(p)

    return {
        metrics: () => {
            const a = averaged()
            if (!a) return { error: "the joint never acted on a step (not armed, or faulted)" }
            const { n, complete, response: r } = a
            const tail = complete.flatMap(e => e.samples.slice(Math.floor(n * 0.8), n))
            const tailMean = tail.reduce((s, x) => s + x, 0) / tail.length
            const noise = Math.sqrt(tail.reduce((s, x) => s + (x - tailMean) ** 2, 0) / tail.length)
            return {
                ...loopFigures(joint, firstStepUs!),
                stepsAveraged: complete.length,
                commandLatencyMs: round(complete.reduce((s, e) => s + e.actedUs! - e.commandUs, 0) / complete.length / 1000, 3),
                riseTimeMs: round(r.riseTimeMs, 3),
                riseTimePeriods: round(r.riseTimeMs / periodMs, 2),
                overshootPct: round(r.overshootPct, 2),
                settlingTimeMs: round(r.settlingTimeMs, 3),
                settlingTimePeriods: round(r.settlingTimeMs / periodMs, 2),
                steadyStateErrorPct: round(r.steadyStateErrorPct, 3),
                finalCurrentA: round(r.finalValue, 3),
                currentNoiseRmsA: round(noise, 3),
            }
        },
        report: () => {
            const a = averaged()
            return stepReport({
                stepA,
                loop: p.currentLoop === "chip" ? "chip" : "firmware",
                periodMs,
                averaged: a && { tUs: a.t, currentA: a.mean, edges: a.complete.length, response: a.response },
            })
        },
        faults: () => jointFaults(joint),
    }
}

export const jointStep: Scenario = {
    name: "joint-step",
    description: "one joint, blocked output, a train of current steps 0 -> stepA, averaged; rise, overshoot, settling, loop timing",
    defaultDurationS: DEFAULT_DURATION_S,
    /** long enough for every step of the train */
    durationS: p => Math.max(DEFAULT_DURATION_S, STEPS_START_BY_S + (Number(p.steps) * stepPeriodMsOf(p)) / 1000),
    params,
    checkParams,
    setup,
    failedChecks: stepFailures,
}

/**
 * design/targets.md's current step: with the chip's current loop, rise 0.5 ms, overshoot 10 %,
 * settling 2 ms, error 1 %; with the firmware's, rise 4 periods, overshoot 10 %, settling 12 periods,
 * error 1 %; and the board's timing on the target
 */
export function stepFailures(r: SimResult): string | undefined {
    const v = new Verdict()
    const m = r.metrics as { riseTimeMs?: number; riseTimePeriods?: number; overshootPct?: number; settlingTimeMs?: number; settlingTimePeriods?: number; steadyStateErrorPct?: number }
    if (r.params.currentLoop === "firmware") {
        v.atMost("rise", m.riseTimePeriods, STEP_TARGETS.firmware.risePeriods, " periods")
        v.atMost("settling", m.settlingTimePeriods, STEP_TARGETS.firmware.settlingPeriods, " periods")
    } else {
        v.atMost("rise", m.riseTimeMs, STEP_TARGETS.chip.riseMs, " ms")
        v.atMost("settling", m.settlingTimeMs, STEP_TARGETS.chip.settlingMs, " ms")
    }
    v.atMost("overshoot", m.overshootPct, STEP_TARGETS.overshootPct, " %")
    v.atMost("steady-state error", m.steadyStateErrorPct, STEP_TARGETS.steadyStateErrorPct, " %")
    v.noFaults(r.faults)
    v.boardTiming(r)
    return v.result()
}
