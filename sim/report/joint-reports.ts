// The joint scenarios' reports: each response against its reference with the target band drawn on
// it, and the figures beside it marked pass or fail against design/targets.md.
import type { StepResponse } from "../metrics/step-response.ts"
import type { TraceTopic } from "../trace.ts"
import type { ScenarioReport } from "./html.ts"
import type { Plot, PlotSeries } from "./page.ts"
import { MAX_POINTS, topicWindow } from "./series.ts"
import { IMPEDANCE_TARGETS, STEP_TARGETS, TRACK_TARGETS, atMost, checkRows, shown } from "./targets.ts"

/** band and reference lines: grey, so the page check counts only the response as data */
const GUIDE = "#999"

const constant = (label: string, x: number[], value: number, dash = true): PlotSeries => ({ label, values: x.map(() => value), dash, color: GUIDE, width: 1 })

export interface StepReportData {
    stepA: number
    loop: "chip" | "firmware"
    periodMs: number
    /** the edges' mean response from the instant the firmware acted; null when it never did */
    averaged: { tUs: number[]; currentA: number[]; edges: number; response: StepResponse } | null
}

export function stepReport(d: StepReportData): ScenarioReport {
    const r = d.averaged?.response
    const time =
        d.loop === "chip"
            ? [
                  atMost("rise time (10-90 %)", r?.riseTimeMs, "ms", STEP_TARGETS.chip.riseMs),
                  atMost("settling time (2 %)", r?.settlingTimeMs, "ms", STEP_TARGETS.chip.settlingMs),
              ]
            : [
                  atMost("rise time (10-90 %)", r && r.riseTimeMs / d.periodMs, "loop periods", STEP_TARGETS.firmware.risePeriods),
                  atMost("settling time (2 %)", r && r.settlingTimeMs / d.periodMs, "loop periods", STEP_TARGETS.firmware.settlingPeriods),
              ]
    const checks = [
        ...time,
        atMost("overshoot", r?.overshootPct, "%", STEP_TARGETS.overshootPct),
        atMost("steady-state error", r?.steadyStateErrorPct, "%", STEP_TARGETS.steadyStateErrorPct),
    ].map(c => ({ ...c, value: c.value === null ? null : Number(c.value.toFixed(3)) }))
    const plots: Plot[] = []
    if (d.averaged && r) {
        const { tUs, currentA } = d.averaged
        const every = Math.max(1, Math.ceil(tUs.length / MAX_POINTS))
        const picked = tUs.map((_, i) => i).filter(i => i % every === 0)
        const x = picked.map(i => tUs[i] / 1000)
        const settlingLimitMs = d.loop === "chip" ? STEP_TARGETS.chip.settlingMs : STEP_TARGETS.firmware.settlingPeriods * d.periodMs
        const riseLimitMs = d.loop === "chip" ? STEP_TARGETS.chip.riseMs : STEP_TARGETS.firmware.risePeriods * d.periodMs
        const band = 0.02 * Math.abs(r.finalValue)
        plots.push({
            title: `current step 0 -> ${d.stepA} A, ${d.averaged.edges} edges averaged`,
            xLabel: "time after the firmware acted (ms)",
            yLabel: "current (A)",
            kind: "line",
            x,
            xRange: [0, Math.min(x[x.length - 1], 3 * Math.max(settlingLimitMs, r.settlingTimeMs))],
            series: [
                { label: "measured currentA", values: picked.map(i => currentA[i]) },
                constant("reference A", x, d.stepA, false),
                constant("final +2 %", x, r.finalValue + band),
                constant("final -2 %", x, r.finalValue - band),
            ],
            markers: [
                { x: r.rise10Us / 1000, label: "10 %" },
                { x: r.rise90Us / 1000, label: "90 %" },
                { x: r.rise10Us / 1000 + riseLimitMs, label: "rise limit" },
                { x: r.settlingTimeMs, label: "settled" },
                { x: settlingLimitMs, label: "settling limit" },
            ],
            width: 720,
            height: 320,
        })
    }
    return {
        sections: [
            {
                heading: "Does the current loop follow a step within its targets?",
                lead: `The true current after each rising edge, averaged over the edges (noise the loop passes on averages out), against the step it was commanded; the current loop runs in the ${d.loop === "chip" ? "motor chip" : "firmware"}. Dashed grey: the 2 % settling band around the final value.`,
                rows: checkRows(checks),
                plots,
            },
        ],
        shownMetrics: ["riseTimeMs", "riseTimePeriods", "overshootPct", "settlingTimeMs", "settlingTimePeriods", "steadyStateErrorPct"],
    }
}

export interface ImpedanceReportData {
    trace: TraceTopic
    stepUs: number | undefined
    settleUs: number
    pushUs: number
    stepRad: number
    metrics: Record<string, unknown>
}

export function impedanceReport(d: ImpedanceReportData): ScenarioReport {
    const m = d.metrics as Record<string, number | undefined>
    const checks = [
        atMost("stiffness error against kp", m.stiffnessErrorPct, "%", IMPEDANCE_TARGETS.stiffnessErrorPct),
        shown("measured stiffness", m.measuredStiffnessNmRad, "N·m/rad"),
        shown("kp commanded", m.kpNmRad, "N·m/rad"),
        shown("position overshoot", m.positionOvershootPct, "%"),
        shown("settling time (2 %)", m.settlingTimeMs, "ms"),
        shown("final position error", m.finalPositionErrorRad, "rad"),
    ]
    const plots: Plot[] = []
    if (d.stepUs !== undefined) {
        const s = d.stepUs
        const step = topicWindow(d.trace, ["angleRad", "setpointRad"], s - 50_000, s + d.settleUs)
        const band = 0.02 * Math.abs(d.stepRad)
        plots.push({
            title: `position step of ${d.stepRad} rad`,
            xLabel: "time (s)",
            yLabel: "angle (rad)",
            kind: "line",
            x: step.x,
            series: [
                { label: "measured angleRad", values: step.values[0] },
                { label: "setpointRad", values: step.values[1], color: GUIDE, width: 1 },
                constant("setpoint +2 %", step.x, d.stepRad + band),
                constant("setpoint -2 %", step.x, d.stepRad - band),
            ],
            markers: m.settlingTimeMs === undefined ? [] : [{ x: (s + m.settlingTimeMs * 1000) / 1e6, label: "settled" }],
        })
        const push = topicWindow(d.trace, ["angleRad", "externalNm"], s + d.settleUs - 100_000, s + d.settleUs + 2 * d.pushUs + 100_000)
        plots.push({
            title: "stiffness test: pushed one way, then the other",
            xLabel: "time (s)",
            yLabel: "angle (rad)",
            y2Label: "external torque (N·m)",
            kind: "line",
            x: push.x,
            series: [
                { label: "angleRad", values: push.values[0] },
                { label: "externalNm", values: push.values[1], axis: 2, dash: true },
            ],
        })
    }
    return {
        sections: [
            {
                heading: "Does the joint render the stiffness it is commanded?",
                lead: "A position step in impedance mode, then, holding the setpoint, an external torque pushed one way and the other: the stiffness is the torque over the deflection, measured over the last third of each push.",
                rows: checkRows(checks),
                plots,
            },
        ],
        shownMetrics: ["stiffnessErrorPct", "measuredStiffnessNmRad", "kpNmRad", "positionOvershootPct", "settlingTimeMs", "finalPositionErrorRad"],
    }
}

export interface TrackReportData {
    trace: TraceTopic
    startUs: number | undefined
    peakNm: number
    metrics: Record<string, unknown>
}

export function trackReport(d: TrackReportData): ScenarioReport {
    const m = d.metrics as Record<string, number | undefined>
    const checks = [
        atMost("torque RMS error (of the profile's peak)", m.torqueRmsErrorPct, "%", TRACK_TARGETS.torqueRmsErrorPct),
        shown("torque RMS error", m.torqueRmsErrorNm, "N·m"),
        atMost("largest current", m.maxCurrentA, "A", m.currentLimitA ?? NaN),
        atMost("hottest winding", m.peakWindingC, "°C", m.windingTripC ?? NaN, true),
    ]
    const plots: Plot[] = []
    if (d.startUs !== undefined) {
        const w = topicWindow(d.trace, ["profileNm", "deliveredNm"], d.startUs)
        plots.push({
            title: `torque profile (peak ${d.peakNm} N·m) against the torque delivered`,
            xLabel: "time (s)",
            yLabel: "torque (N·m)",
            y2Label: "error (N·m)",
            kind: "line",
            x: w.x,
            series: [
                { label: "profileNm", values: w.values[0], color: GUIDE, width: 2 },
                { label: "deliveredNm", values: w.values[1], color: "#1f77b4" },
                { label: "error Nm", values: w.values[1].map((v, i) => v - w.values[0][i]), axis: 2, color: "#d62728", width: 1 },
            ],
            width: 720,
            height: 300,
        })
    }
    return {
        sections: [
            {
                heading: "Does the joint deliver the walking torque it is commanded?",
                lead: "A knee-like torque profile commanded as feedforward at the body controller's rate, against the torque the motor delivers; the error (right axis) is delivered minus profile.",
                rows: checkRows(checks),
                plots,
            },
        ],
        shownMetrics: ["torqueRmsErrorPct", "torqueRmsErrorNm", "maxCurrentA", "currentLimitA", "peakWindingC", "windingTripC"],
    }
}
