// A self-contained HTML report of a run. It leads with the sections the scenario designs around its
// question (sim/report/<scenario>.ts), then the metrics as a table with units, the boards on their
// chips, the faults and panics; plots of every traced signal (grouped by board and unit) come last,
// collapsed. Drawn with uPlot, which is inlined so the file opens anywhere without a network.
import type { SimResult } from "../result.ts"
import type { TraceTopic } from "../trace.ts"
import { TRACE_FILES, type TraceFiles } from "../trace-files.ts"
import type { BusSegment } from "../bus/segment.ts"
import type { BoardVm } from "../vm/board-vm.ts"
import { LOAD_WINDOW_US } from "../vm/cpu-stats.ts"
import { renderPage, type PageSection, type Plot } from "./page.ts"
import { metricRows } from "./metrics-table.ts"
import { MAX_POINTS } from "./series.ts"

/** unit suffixes of field names (the house habit: units in names), longest first */
const UNITS = ["TravelPerS", "RadS", "Travel", "Counts", "Rad", "Nm", "Mm", "Us", "Ms", "Pct", "N", "A", "V", "C", "S"]

/** unit of a field from its name's suffix: "currentA" -> "A", "velocityRadS" -> "RadS" */
export function unitOf(field: string): string {
    return UNITS.find(u => field.endsWith(u) && field.length > u.length && /[a-z0-9]/.test(field[field.length - u.length - 1])) ?? ""
}

/** a line plot over simulated time of series in one unit */
const timePlot = (title: string, unit: string, x: number[], series: Plot["series"]): Plot => ({
    title: unit ? `${title} [${unit}]` : title,
    xLabel: "time (s)",
    yLabel: unit,
    kind: "line",
    x,
    series,
})

/** one chart per (topic, unit), at most MAX_POINTS samples each (every n-th sample); none for a topic with no samples */
export function topicCharts(topic: TraceTopic): Plot[] {
    if (topic.count === 0) return []
    const stride = topic.stride
    const count = topic.count
    const every = Math.max(1, Math.ceil(count / MAX_POINTS))
    // every n-th row, read once (the rows may be on disk)
    const x: number[] = []
    const columns: number[][] = topic.fields.map(() => [])
    let row = 0
    for (const block of topic.blocks())
        for (let i = 0; i < block.length; i += stride)
            if (row++ % every === 0) {
                x.push(block[i] / 1e6)
                columns.forEach((c, k) => c.push(block[i + 1 + k]))
            }
    const byUnit = new Map<string, number[]>()
    topic.fields.forEach((f, k) => byUnit.set(unitOf(f), [...(byUnit.get(unitOf(f)) ?? []), k]))
    return [...byUnit].map(([unit, ks]) => ({
        ...timePlot(
            topic.name,
            unit,
            x,
            ks.map(k => ({ label: topic.fields[k], values: columns[k] })),
        ),
        // a single sample joins to nothing: a marker shows it
        kind: topic.events || count === 1 ? "points" : "line",
    }))
}

/** the load of every timed bus segment over time, in its load windows, on one chart (none without a timed segment) */
export function busCharts(segments: BusSegment[]): Plot[] {
    const timed = segments.filter(s => s.timed && s.windowBusyUs.length)
    if (!timed.length) return []
    const windowUs = timed[0].loadWindowUs
    const windows = Math.max(...timed.map(s => s.windowBusyUs.length))
    const x = Array.from({ length: windows }, (_, i) => ((i + 1) * windowUs) / 1e6)
    const series = timed.map(s => ({ label: s.name, values: x.map((_, i) => (100 * (s.windowBusyUs[i] ?? 0)) / s.loadWindowUs) }))
    return [timePlot(`bus load per segment (${windowUs / 1000} ms windows)`, "%", x, series)]
}

/** every board's CPU load over time, in 100 ms windows, on one chart (none with target=ideal) */
export function cpuCharts(boards: BoardVm[], elapsedUs: number): Plot[] {
    if (!boards.length || boards[0].model.ideal) return []
    const windows = Math.floor(elapsedUs / LOAD_WINDOW_US)
    const x = Array.from({ length: windows }, (_, i) => ((i + 1) * LOAD_WINDOW_US) / 1e6)
    const series = boards.map(b => ({
        label: b.name,
        values: x.map((_, i) => (100 * (b.cpu.windowBusyUs[i] ?? 0)) / LOAD_WINDOW_US),
    }))
    return [timePlot("CPU load per board (target timing model, 100 ms windows)", "%", x, series)]
}

/** what a scenario adds to its report: its own sections first, and the metrics they already show */
export interface ScenarioReport {
    sections: PageSection[]
    /** metric names the sections show in full, left out of the generic metrics table */
    shownMetrics?: string[]
    /** a Foxglove layout for the run's trace, written beside it */
    foxgloveLayout?: unknown
}

export function renderReport(result: SimResult, designed: ScenarioReport, rawCharts: Plot[], traceFiles: TraceFiles = "both"): string {
    const summary = {
        scenario: result.scenario,
        seed: result.seed,
        "simulated time (s)": result.simSeconds,
        "wall time (s)": result.wallSeconds,
        "real-time factor": result.realTimeFactor,
        boards: result.boards,
        "busiest bus segment load (%)": result.busLoadPct,
        faults: result.faults.length,
        panics: result.panics,
        "trace hash": result.traceHash,
    }
    const faults = result.faults.map(f => ({ board: f.board, fault: f.code, "time (s)": f.tS.toFixed(4), detail: f.detail ?? "" }))
    const panics = result.panicDetails.map(p => `${p.board}: code ${p.code} at ${(p.tUs / 1e6).toFixed(4)} s\n${p.message}`)
    const target = `target=${result.params.target}, main-loop tick ${result.params["runtime.tickUs"]} µs, cpu.scale ${result.params["cpu.scale"]}`
    const cpu = result.cpu.map(c => ({
        board: c.board,
        chip: `${c.chip} ${c.clockMHz} MHz`,
        "load %": c.loadPct,
        "load p99 %": c.loadPctP99,
        wakes: c.wakes,
        "busy p50 µs": c.busyUsP50,
        "busy p99 µs": c.busyUsP99,
        "busy max µs": c.busyUsMax,
        "timers late p99 µs": c.timerLateUsP99,
        "period µs": c.periodUs ?? "",
        "deadline misses": c.deadlineMisses ?? "",
        "heap high-water B": c.heapHighWaterBytes,
        "heap B": c.heapBytes,
    }))
    const metrics = metricRows(result.metrics, designed.shownMetrics)
    return renderPage({
        title: `${result.scenario}: humanoid-firmware simulation report`,
        sections: [
            { heading: "Run", keyValues: summary },
            ...designed.sections,
            ...(metrics.length ? [{ heading: "Metrics", rows: metrics }] : []),
            { heading: `The boards on their chips (${target})`, rows: cpu },
            { heading: "Faults the boards reported", rows: faults },
            ...(panics.length ? [{ heading: "Panics", text: panics.join("\n\n") }] : []),
            {
                heading: "Every traced signal, by board and unit",
                lead: `The raw trace as recorded (at most 1500 points a plot, every n-th sample); the same signals are in ${TRACE_FILES[traceFiles]}.`,
                collapsed: true,
                plots: rawCharts,
            },
        ],
    })
}
