// robot-walk's report: did the robot walk well, and where did it not? Per joint, the commanded and
// measured angle with the tracking error (small multiples on one time axis); per foot, true stance
// against reported stance with every event's latency; faults, boards gone silent and injected
// events marked on the same time axis; per-joint and per-segment figures as table rows.
import type { Stance } from "../plants/gait.ts"
import type { BoardEvent } from "../metrics/foot-contact.ts"
import type { SimResult } from "../result.ts"
import type { TraceTopic } from "../trace.ts"
import type { ScenarioReport } from "./html.ts"
import type { Marker, Plot } from "./page.ts"
import { contactTimeline, eventLatencies, latencyPlot } from "./foot-report.ts"
import { topicWindow } from "./series.ts"
import { MINUTE_METRICS, minutesSection } from "./minutes-report.ts"
import { BOARD_TARGETS, WALK_TARGETS, atMost, checkRows, shown } from "./targets.ts"

const DEG_PER_RAD = 180 / Math.PI
/** the plots start this long before the walk (the robot hangs still before it) */
const BEFORE_WALK_US = 300_000

export interface WalkReportData {
    joints: { name: string; trace: TraceTopic }[]
    feet: { name: string; stances: readonly Stance[]; events: readonly BoardEvent[] }[]
    walkStartUs: number
    endUs: number
    /** the injected stop of a board, if any */
    stopped?: { board: string; atUs: number }
    silent: { board: string; tUs: number }[]
    /** the run's figures: metrics, faults, bus loads, CPU */
    result: SimResult
}

export function walkReport(d: WalkReportData): ScenarioReport {
    const { faults, cpu, busLoadBySegment } = d.result
    const m = d.result.metrics as Record<string, any>
    const fromUs = Math.max(0, d.walkStartUs - BEFORE_WALK_US)
    const range: [number, number] = [fromUs / 1e6, d.endUs / 1e6]
    const restarts = (m.restarts ?? []) as RestartRow[]
    // what happened to a board, on its plots; the walk's start on every plot
    const markersOf = (board?: string): Marker[] => [
        { x: d.walkStartUs / 1e6, label: "walk starts" },
        ...(d.stopped && (!board || d.stopped.board === board) ? [{ x: d.stopped.atUs / 1e6, label: `${d.stopped.board} stopped (injected)` }] : []),
        ...faults.filter(f => !board || f.board === board).map(f => ({ x: f.tS, label: `${f.board}: ${f.code}` })),
        ...d.silent.filter(s => !board || s.board === board).map(s => ({ x: s.tUs / 1e6, label: `${s.board} silent` })),
        ...restarts.filter(r => !board || r.board === board || r.damped?.includes(board)).flatMap(restartMarkers),
    ]
    const jointPlots: Plot[] = d.joints.map(j => {
        const w = topicWindow(j.trace, ["referenceRad", "angleRad"], fromUs, d.endUs, v => v * DEG_PER_RAD)
        return {
            title: `${j.name}: tracking RMS ${m.jointTrackingRmsDegByJoint?.[j.name] ?? "none"}°`,
            xLabel: "time (s)",
            yLabel: "angle (°)",
            y2Label: "error (°)",
            kind: "line",
            x: w.x,
            xRange: range,
            syncKey: "walk",
            series: [
                { label: "commanded °", values: w.values[0], color: "#999", width: 2 },
                { label: "measured °", values: w.values[1], color: "#1f77b4" },
                { label: "error °", values: w.values[1].map((v, i) => v - w.values[0][i]), axis: 2, color: "#d62728", width: 1 },
            ],
            markers: markersOf(j.name),
            width: 400,
            height: 180,
        }
    })
    const latencies = d.feet.map(f => ({ name: f.name, lat: eventLatencies(f.stances, f.events, d.endUs) }))
    const contactPlots: Plot[] = [
        ...d.feet.map(f => ({ ...contactTimeline(`${f.name}: contact`, f.stances, f.events, fromUs, d.endUs, range), syncKey: "walk", markers: markersOf(f.name) })),
        ...latencies
            .filter(({ lat }) => lat.touchdown.latencyMs.length + lat.liftoff.latencyMs.length)
            .map(({ name, lat }) => ({ ...latencyPlot(`${name}: each event's detection latency`, lat, range), syncKey: "walk" })),
    ]
    const silentFeet = latencies.filter(({ lat }) => !lat.touchdown.latencyMs.length && !lat.liftoff.latencyMs.length).map(l => l.name)
    const cpuOf = (board: string) => cpu.find(c => c.board === board)
    const jointRows = d.joints.map(j => ({
        joint: j.name,
        "tracking RMS (°)": m.jointTrackingRmsDegByJoint?.[j.name] ?? "none",
        "tracking max (°)": m.jointTrackingMaxDegByJoint?.[j.name] ?? "none",
        faults: faults.filter(f => f.board === j.name).map(f => f.code).join(", "),
        "CPU load p99 (%)": cpuOf(j.name)?.loadPctP99 ?? "",
        "deadline misses": cpuOf(j.name)?.deadlineMisses ?? "",
    }))
    const footRows = latencies.map(({ name, lat }) => {
        const p99 = (xs: number[]) => (xs.length ? Number([...xs].sort((a, b) => a - b)[Math.ceil(0.99 * xs.length) - 1].toFixed(2)) : "none")
        return {
            foot: name,
            "touchdowns reported": lat.touchdown.latencyMs.length,
            "touchdown p99 (ms)": p99(lat.touchdown.latencyMs),
            "liftoffs reported": lat.liftoff.latencyMs.length,
            "liftoff p99 (ms)": p99(lat.liftoff.latencyMs),
            "missed (true events the board never reported)": lat.touchdown.missed + lat.liftoff.missed,
            "invented (events with no true one)": lat.touchdown.invented + lat.liftoff.invented,
            "CPU load p99 (%)": cpuOf(name)?.loadPctP99 ?? "",
            "deadline misses": cpuOf(name)?.deadlineMisses ?? "",
        }
    })
    const minutes = minutesSection(d.result)
    const checks = [
        atMost("joint tracking RMS, all joints", m.jointTrackingRmsDeg, "°", WALK_TARGETS.trackingRmsDeg),
        shown("joint tracking, worst instant", m.jointTrackingMaxDeg, "°"),
        ...Object.entries(busLoadBySegment).map(([seg, pct]) => atMost(`bus load over the run, ${seg}`, pct, "%", WALK_TARGETS.busLoadPct)),
        shown("bus load, busiest 100 ms while walking", m.busPeakLoadWalkingPct, "%"),
        atMost("contact events missed", m.contactEvents?.missed, "", 0),
        atMost("contact events invented", m.contactEvents?.invented, "", 0),
        shown("contact events seen", m.contactEvents?.seen, ""),
        atMost("boards whose CPU load p99 is over its budget", cpu.filter(c => c.loadPctP99 > BOARD_TARGETS.cpuLoadP99Pct).length, "", 0),
        atMost("deadline misses, all boards", cpu.reduce((s, c) => s + (c.deadlineMisses ?? 0), 0), "", BOARD_TARGETS.deadlineMisses),
        atMost("boards that stopped answering", d.silent.length, "", 0),
        ...restarts.flatMap(r => [
            atMost(`${r.board} restart: its fault seen after its program started`, r.restartNoticedMs ?? undefined, "ms", RESTART_NOTICED_MS),
            atMost(`${r.board} restart: bridge on before its re-arm`, r.bridgeOnBeforeRearmMs ?? undefined, "ms", 0),
            shown(`${r.board} restart: tracking RMS after its re-arm`, r.trackingAfterRearmRmsDeg ?? undefined, "°"),
        ]),
        shown("walked", m.walkSeconds, "s"),
    ]
    return {
        sections: [
            {
                heading: "Did the robot walk well, and where did it not?",
                lead: `Twelve joint boards and two foot boards, each running the flashed bytecode, walking in place from ${d.walkStartUs / 1e6} s. Tracking is scored from 0.2 s after the walk starts; CPU figures are the target timing model's (zero with target=ideal).`,
                rows: checkRows(checks),
            },
            { heading: "Joints: commanded against measured angle, error on the right axis", rows: jointRows, plots: jointPlots },
            {
                heading: "Feet: true stance against the stance the board reported",
                lead:
                    "Upper lane: the plant's stance; lower lane: from each touchdown the board reported to its next liftoff, each reported event a marker. Latency runs from the true event to the board's event on the bus." +
                    (silentFeet.length ? ` No touchdown or liftoff reported in time by ${silentFeet.join(" or ")}: no latency to plot.` : ""),
                rows: footRows,
                plots: contactPlots,
            },
            ...minutes,
        ],
        shownMetrics: ["jointTrackingRmsDeg", "jointTrackingMaxDeg", "jointTrackingRmsDegByJoint", "jointTrackingMaxDegByJoint", "contactEvents", "busPeakLoadWalkingPct", "walkSeconds", "boardsNotAnswering", ...(minutes.length ? MINUTE_METRICS : [])],
    }
}

/** issue 17: the body controller notices a restarted board within 50 ms (of its program's start: it says nothing before) */
const RESTART_NOTICED_MS = 50

/** a row of robot-walk's `restarts` (sim/scenarios/restart-watch.ts), as the report reads it */
interface RestartRow {
    board: string
    atS: number
    backAtS: number | null
    programBackAtS?: number | null
    damped?: string[]
    legDampedAtS?: number | null
    rearmedAtS?: number | null
    armedAtS?: number | null
    walkingAgainAtS?: number | null
    restartNoticedMs?: number | null
    bridgeOnBeforeRearmMs?: number
    trackingAfterRearmRmsDeg?: number | null
}

/** what happened to a restarted board and its leg, and when */
function restartMarkers(r: RestartRow): Marker[] {
    const at = (tS: number | null | undefined, label: string) => (tS === null || tS === undefined ? [] : [{ x: tS, label: `${r.board} ${label}` }])
    return [
        ...at(r.atS, "power lost (injected)"),
        ...at(r.legDampedAtS, "lost: leg damped"),
        ...at(r.backAtS, "back"),
        ...at(r.programBackAtS, "its program started"),
        ...at(r.rearmedAtS, "re-armed (enable)"),
        ...at(r.armedAtS, "armed (the enable granted)"),
        ...at(r.walkingAgainAtS, "walking again"),
    ]
}
