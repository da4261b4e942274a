// foot-gait's report, and the contact timeline robot-walk shares: when did the foot really touch
// down and lift off, when did the board say so, and how late; how the detection latencies spread;
// the centre of pressure on the sole, true against measured; the ground reaction force against the
// truth.
import type { Stance } from "../plants/gait.ts"
import { CELL_X_MM, CELL_Y_MM } from "../plants/load-cells.ts"
import { latencyStats, matchEvents, type BoardEvent, type ReportError } from "../metrics/foot-contact.ts"
import type { TraceTopic } from "../trace.ts"
import type { ScenarioReport } from "./html.ts"
import type { Figure, Plot } from "./page.ts"
import { histogram, laneMarkers, laneSeries, topicWindow } from "./series.ts"
import { FOOT_TARGETS, atMost, checkRows, footLatencyTargets, shown } from "./targets.ts"

const KINDS = ["touchdown", "liftoff"] as const
const COLOR = { touchdown: "#2ca02c", liftoff: "#d62728", truth: "#1f77b4", board: "#ff7f0e" }

/** each true event the board reported, with its latency to the bus (ms), by kind */
export function eventLatencies(stances: readonly Stance[], events: readonly BoardEvent[], endUs = Infinity) {
    return Object.fromEntries(
        KINDS.map(kind => {
            const trueUs = stances.map(s => (kind === "touchdown" ? s.touchdownUs : s.liftoffUs)).filter(t => t < endUs)
            const m = matchEvents(
                trueUs,
                events.filter(e => e.kind === kind).map(e => e.atUs)
            )
            return [kind, { trueS: m.matchedTrueUs.map(t => t / 1e6), latencyMs: m.latenciesUs.map(l => l / 1000), missed: m.unmatchedTrue, invented: m.unmatchedBoard }]
        })
    ) as Record<(typeof KINDS)[number], { trueS: number[]; latencyMs: number[]; missed: number; invented: number }>
}

/** the board's stances: from each touchdown it reported to the next liftoff (s) */
function detectedStances(events: readonly BoardEvent[], endUs: number): [number, number][] {
    const out: [number, number][] = []
    let down: number | undefined
    for (const e of events) {
        if (e.kind === "touchdown" && down === undefined) down = e.atUs
        if (e.kind === "liftoff" && down !== undefined) {
            out.push([down / 1e6, e.atUs / 1e6])
            down = undefined
        }
    }
    if (down !== undefined) out.push([down / 1e6, endUs / 1e6])
    return out
}

/** true stance against the stance the board reported, each reported event a marker, from `fromUs` to `toUs` */
export function contactTimeline(title: string, stances: readonly Stance[], events: readonly BoardEvent[], fromUs: number, toUs: number, xRange?: [number, number]): Plot {
    const inWindow = (t: number) => t >= fromUs && t <= toUs
    const truth = stances.filter(s => s.liftoffUs >= fromUs && s.touchdownUs <= toUs).map(s => [s.touchdownUs / 1e6, Math.min(s.liftoffUs, toUs) / 1e6] as [number, number])
    const shownEvents = events.filter(e => inWindow(e.atUs))
    const board = detectedStances(shownEvents, toUs)
    const at = (kind: BoardEvent["kind"]) => shownEvents.filter(e => e.kind === kind).map(e => e.atUs / 1e6)
    return {
        title,
        xLabel: "time (s)",
        yLabel: "",
        yLanes: ["board", "truth"],
        kind: "line",
        x: [],
        xRange: xRange ?? [fromUs / 1e6, toUs / 1e6],
        series: [
            laneSeries("true stance", 1, truth, COLOR.truth),
            laneSeries("reported stance", 0, board, COLOR.board),
            laneMarkers("touchdown reported", 0, at("touchdown"), COLOR.touchdown),
            laneMarkers("liftoff reported", 0, at("liftoff"), COLOR.liftoff),
        ],
        height: 150,
    }
}

/** each event's detection latency at the time of the true event, touchdowns and liftoffs as markers */
export function latencyPlot(title: string, lat: ReturnType<typeof eventLatencies>, xRange?: [number, number]): Plot {
    return {
        title,
        xLabel: "time of the true event (s)",
        yLabel: "latency (ms)",
        kind: "points",
        x: [],
        xRange,
        series: KINDS.map(k => ({ label: `${k} latency ms`, x: lat[k].trueS, values: lat[k].latencyMs, color: COLOR[k] })),
        height: 180,
    }
}

function latencyHistogram(kind: (typeof KINDS)[number], latencyMs: number[], limitMs: number): Plot | undefined {
    if (!latencyMs.length) return undefined
    const s = latencyStats(latencyMs.map(ms => ms * 1000))
    const binMs = Math.max(...latencyMs) > 40 ? 2 : 0.5
    const h = histogram(latencyMs, binMs)
    return {
        title: `${kind} latency: ${latencyMs.length} events, p50 ${s.p50} ms, p99 ${s.p99} ms`,
        xLabel: "latency from the true event to the bus (ms)",
        yLabel: "events",
        kind: "bars",
        x: h.x,
        // the limit in view even when every event is well inside it
        xRange: [h.x[0] - binMs / 2, Math.max(h.x[h.x.length - 1] + binMs / 2, limitMs + binMs)],
        series: [{ label: "events", values: h.counts, color: COLOR[kind] }],
        markers: [
            { x: s.p50!, label: "p50" },
            { x: s.p99!, label: "p99" },
            { x: limitMs, label: "p99 limit" },
        ],
    }
}

const SOLE = { x0: -135, x1: 145, y0: -65, y1: 65 }
const PX_PER_MM = 1.6
const MAX_COP_POINTS = 400

/** the sole seen from above, heel left, its cells, and true (blue) against reported (orange) centres of pressure */
export function copFigure(errors: readonly ReportError[]): Figure {
    const pairs = errors.filter(e => e.copMm).map(e => e.copMm!)
    const every = Math.max(1, Math.ceil(pairs.length / MAX_COP_POINTS))
    const shownPairs = pairs.filter((_, i) => i % every === 0)
    const w = (SOLE.x1 - SOLE.x0) * PX_PER_MM
    const h = (SOLE.y1 - SOLE.y0) * PX_PER_MM
    const px = (x: number) => ((x - SOLE.x0) * PX_PER_MM).toFixed(1)
    const py = (y: number) => ((SOLE.y1 - y) * PX_PER_MM).toFixed(1) // y up
    const cells = CELL_X_MM.map((x, i) => `<rect x="${+px(x) - 6}" y="${+py(CELL_Y_MM[i]) - 6}" width="12" height="12" fill="#ccc" stroke="#888"><title>load cell ${i}</title></rect>`)
    const dots = shownPairs.flatMap(([x, y, tx, ty]) => [
        `<circle class="mark" cx="${px(tx)}" cy="${py(ty)}" r="2" fill="${COLOR.truth}"/>`,
        `<circle class="mark" cx="${px(x)}" cy="${py(y)}" r="2" fill="${COLOR.board}" fill-opacity="0.6"/>`,
    ])
    const svg = `<svg width="${w}" height="${h + 24}" viewBox="0 0 ${w} ${h + 24}" xmlns="http://www.w3.org/2000/svg">
<rect x="1" y="1" width="${w - 2}" height="${h - 2}" rx="${60 * PX_PER_MM}" fill="#f6f6f6" stroke="#888"/>
${cells.join("\n")}
${dots.join("\n")}
<text x="4" y="${h + 16}" font-size="11" fill="#444">heel</text><text x="${w - 26}" y="${h + 16}" font-size="11" fill="#444">toe</text>
<circle cx="${w / 2 - 90}" cy="${h + 12}" r="4" fill="${COLOR.truth}"/><text x="${w / 2 - 82}" y="${h + 16}" font-size="11">true</text>
<circle cx="${w / 2 - 40}" cy="${h + 12}" r="4" fill="${COLOR.board}"/><text x="${w / 2 - 32}" y="${h + 16}" font-size="11">reported by the board</text>
</svg>`
    return {
        title: `centre of pressure on the sole: ${shownPairs.length} of ${pairs.length} reports (cells grey)`,
        svg,
        marks: 2 * shownPairs.length,
    }
}

export interface FootGaitReportData {
    stances: readonly Stance[]
    events: readonly BoardEvent[]
    errors: readonly ReportError[]
    traces: { plant: TraceTopic; board: TraceTopic }
    endUs: number
    metrics: Record<string, unknown>
    /** the runtime's main-loop tick (the latency targets depend on it) */
    tickUs: number
}

export function footGaitReport(d: FootGaitReportData): ScenarioReport {
    const m = d.metrics as Record<string, any>
    const lat = eventLatencies(d.stances, d.events, d.endUs)
    const latencyTargets = footLatencyTargets(d.tickUs)
    const checks = [
        atMost("touchdown latency p99", m.touchdownLatencyMs?.p99, "ms", latencyTargets.touchdownP99Ms),
        shown("touchdown latency p50", m.touchdownLatencyMs?.p50, "ms"),
        atMost("liftoff latency p99", m.liftoffLatencyMs?.p99, "ms", latencyTargets.liftoffP99Ms),
        shown("liftoff latency p50", m.liftoffLatencyMs?.p50, "ms"),
        atMost("false contacts", m.falseContacts, "", FOOT_TARGETS.falseContacts),
        atMost("missed contacts", m.missedContacts, "", FOOT_TARGETS.missedContacts),
        atMost("centre of pressure RMS error", m.copRmsErrorMm, "mm", FOOT_TARGETS.copRmsErrorMm),
        atMost("ground reaction force RMS error (of body weight)", m.grfRmsErrorPct, "%", FOOT_TARGETS.grfRmsErrorPct),
        shown("stances walked", m.steps, ""),
    ]
    const first = d.stances[0]
    const plots: Plot[] = []
    const figures: Figure[] = []
    if (first) {
        const last = d.stances[Math.min(2, d.stances.length - 1)]
        const fromUs = Math.max(0, first.touchdownUs - 200_000)
        const toUs = Math.min(d.endUs, last.liftoffUs + 200_000)
        const range: [number, number] = [fromUs / 1e6, toUs / 1e6]
        plots.push(contactTimeline("contact over the first three stances", d.stances, d.events, fromUs, toUs))
        const truth = topicWindow(d.traces.plant, ["forceN"], fromUs, toUs)
        const board = topicWindow(d.traces.board, ["totalForceN"], fromUs, toUs)
        plots.push({
            title: "ground reaction force over the first three stances",
            xLabel: "time (s)",
            yLabel: "force (N)",
            kind: "line",
            x: [],
            xRange: range,
            series: [
                { label: "true forceN", x: truth.x, values: truth.values[0], color: COLOR.truth },
                { label: "reported totalForceN", x: board.x, values: board.values[0], color: COLOR.board },
            ],
        })
        for (const kind of KINDS) {
            const p = latencyHistogram(kind, lat[kind].latencyMs, kind === "touchdown" ? latencyTargets.touchdownP99Ms : latencyTargets.liftoffP99Ms)
            if (p) plots.push(p)
        }
        if (lat.touchdown.latencyMs.length + lat.liftoff.latencyMs.length) plots.push(latencyPlot("every event's latency over the walk", lat))
        figures.push(copFigure(d.errors))
    }
    return {
        sections: [
            {
                heading: "Does the foot see its contacts in time, and measure the load where it is?",
                lead: "Latency runs from the plant's true touchdown or liftoff to the board's event on the body bus. The centre of pressure and the force are the board's reports against the plant's truth at the instant of the sample they come from.",
                rows: checkRows(checks),
                figures,
                plots,
            },
        ],
        shownMetrics: ["steps", "touchdownLatencyMs", "liftoffLatencyMs", "falseContacts", "missedContacts", "copRmsErrorMm", "grfRmsErrorPct"],
    }
}
