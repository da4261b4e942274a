// foot-gait: one foot board (devs/foot) in its VM, walking. The gait, the ground and the load cells
// are simulated; the board samples its cells through its hardware link, and the body controller
// (this host, on a timed body bus the board is also on) receives its touchdown and liftoff events and
// its reports. Latency runs from the plant's true event to the event's arrival on the body bus.
import type { SimResult } from "../result.ts"
import { Verdict } from "./verdict.ts"
import { FOOT_TARGETS, footLatencyTargets } from "../report/targets.ts"
import { addFootBoard } from "../hardware/foot-board.ts"
import { choice, num, type ParamValues } from "../params.ts"
import { Gait } from "../plants/gait.ts"
import { CELLS } from "../plants/load-cells.ts"
import type { Simulation } from "../simulation.ts"
import type { Scenario, ScenarioRun } from "./scenario.ts"
import { footGaitReport } from "../report/foot-report.ts"

const params = {
    steps: num(1000, "steps", 0, 100_000, "stances of the foot to walk (then it stays in the air)", true),
    stepPeriodS: num(0.6, "s", 0.3, 1.5, "step period (a stride of one foot is two steps)"),
    stanceFraction: num(0.62, "of stride", 0.5, 0.8, "stance share of the stride (double support: the excess over 0.5)"),
    stepJitterPct: num(3, "%", 0, 20, "seeded variation of each stride's period"),
    noiseN: num(1.5, "N", 0, 30, "noise sigma of each load cell"),
    driftNPerMin: num(2, "N/min", 0, 60, "largest zero drift rate of a cell (each drifts at 50-100 % of it)"),
    creepPct: num(0.3, "%", 0, 5, "creep of a cell under constant load, reached after 10 min"),
    ringingN: num(20, "N", 0, 200, "amplitude of the sole's ringing at touchdown (50-200 Hz, decays in ~15 ms)"),
    swingAccelMps2: num(30, "m/s2", 0, 100, "peak acceleration of the sole in swing (inertial artefacts)"),
    soleMassKg: num(0.3, "kg", 0, 2, "unsprung mass below the cells"),
    bodyWeightN: num(490, "N", 100, 2000, "body weight (50 kg robot)"),
    touchdownSpeedMps: num(0.35, "m/s", 0, 2, "vertical speed of the foot at touchdown"),
    legMassKg: num(6, "kg", 0.5, 30, "effective leg mass brought to rest at heel strike"),
    groundStiffnessNPerM: num(1.5e5, "N/m", 1e4, 1e6, "ground contact stiffness (rubber sole on concrete)"),
    groundDampingRatio: num(0.5, "", 0.05, 2, "ground contact damping ratio"),
    sampleMs: num(10, "ms", 1, 50, "the board's load-cell sampling period (written to its sample_period register)", true),
    "fault.kind": choice("none", ["none", "silent", "stuck", "saturated"], "load-cell fault to inject"),
    "fault.cell": num(0, "cell", 0, CELLS - 1, "cell the fault hits (0 heel outer, 1 heel inner, 2 toe outer, 3 toe inner)", true),
    "fault.atS": num(5, "s", 0, 86_400, "time the fault starts"),
    offsetStepN: num(0, "N", -300, 300, "zero offset added to every cell at offsetStepAtS (a re-mounted sole)"),
    offsetStepAtS: num(2, "s", 0, 86_400, "time of the offset step"),
    tareAtS: num(0, "s", 0, 86_400, "time the body controller sends the tare command (0: never)"),
}

/** the board boots, zeroes its cells and is discovered on the body bus before the first step */
const START_DELAY_S = 1
const numParam = (p: ParamValues, k: keyof typeof params) => Number(p[k])

function makeGait(p: ParamValues, sim: Simulation) {
    return new Gait(
        {
            steps: numParam(p, "steps"),
            stepPeriodS: numParam(p, "stepPeriodS"),
            stanceFraction: numParam(p, "stanceFraction"),
            stepJitterPct: numParam(p, "stepJitterPct"),
            startDelayS: START_DELAY_S,
        },
        sim.random.fork("foot/gait")
    )
}

async function setup(sim: Simulation, p: ParamValues): Promise<ScenarioRun> {
    const foot = await addFootBoard(sim, "foot", makeGait(p, sim), p, sim.addSegment("body", true))
    return {
        metrics: foot.metrics,
        faults: () => foot.faults,
        report: result =>
            footGaitReport({ stances: foot.gait.stances, events: foot.events, errors: foot.errors, traces: foot.traces, endUs: sim.clock.nowUs, metrics: result.metrics, tickUs: Number(p["runtime.tickUs"]) }),
    }
}

/** long enough for the walk with every stride at its longest, and a swing after it */
function walkDurationS(p: ParamValues): number {
    const strideS = 2 * numParam(p, "stepPeriodS") * (1 + numParam(p, "stepJitterPct") / 100)
    return Math.ceil((START_DELAY_S + (numParam(p, "steps") + 1) * strideS) * 1000) / 1000
}

export const footGait: Scenario = {
    name: "foot-gait",
    description: "one foot board (devs/foot) walking: contact latency, false/missed contacts, CoP and GRF errors",
    defaultDurationS: 10,
    durationS: walkDurationS,
    params,
    setup,
    failedChecks: gaitFailures,
}

/**
 * design/targets.md's foot contact targets: no contact false or missed, CoP RMS 5 mm, GRF RMS 3 % of
 * body weight; touchdown and liftoff p99 15 and 20 ms on the stock runtime's tick (its 10 ms sample
 * period, whatever the target), 10 and 15 ms on a finer one; and the board's timing on the target
 */
export function gaitFailures(r: SimResult): string | undefined {
    const v = new Verdict()
    const m = r.metrics as { falseContacts?: number; missedContacts?: number; touchdownLatencyMs?: { p99: number }; liftoffLatencyMs?: { p99: number }; copRmsErrorMm?: number; grfRmsErrorPct?: number }
    v.atMost("false contacts", m.falseContacts, FOOT_TARGETS.falseContacts)
    v.atMost("missed contacts", m.missedContacts, FOOT_TARGETS.missedContacts)
    const latency = footLatencyTargets(Number(r.params["runtime.tickUs"]))
    v.atMost("touchdown latency p99", m.touchdownLatencyMs?.p99, latency.touchdownP99Ms, " ms")
    v.atMost("liftoff latency p99", m.liftoffLatencyMs?.p99, latency.liftoffP99Ms, " ms")
    v.atMost("CoP RMS error", m.copRmsErrorMm, FOOT_TARGETS.copRmsErrorMm, " mm")
    v.atMost("GRF RMS error", m.grfRmsErrorPct, FOOT_TARGETS.grfRmsErrorPct, " % of body weight")
    v.noFaults(r.faults)
    v.boardTiming(r)
    return v.result()
}
