// A self-contained HTML report of a run: the summary and metrics table, the faults and panics, and
// plots of every traced signal (grouped by board and unit) and of each bus segment's load, drawn
// with uPlot, which is inlined so the file opens anywhere without a network.
import fs from "node:fs"
import { createRequire } from "node:module"
import type { SimResult } from "../run.ts"
import type { TraceTopic } from "../trace.ts"
import type { BusSegment } from "../bus/segment.ts"

const require = createRequire(import.meta.url)
const MAX_POINTS = 1500

export interface ReportChart {
    title: string
    unit: string
    x: number[]
    series: { label: string; values: number[] }[]
}

/** unit suffixes of field names (the house habit: units in names), longest first */
const UNITS = ["TravelPerS", "RadS", "Travel", "Counts", "Rad", "Nm", "Mm", "Us", "Ms", "Pct", "N", "A", "V", "C", "S"]

/** unit of a field from its name's suffix: "currentA" -> "A", "velocityRadS" -> "RadS" */
export function unitOf(field: string): string {
    return UNITS.find(u => field.endsWith(u) && field.length > u.length && /[a-z0-9]/.test(field[field.length - u.length - 1])) ?? ""
}

/** one chart per (topic, unit), at most MAX_POINTS samples each (every n-th sample) */
export function topicCharts(topic: TraceTopic): ReportChart[] {
    const stride = topic.fields.length + 1
    const count = topic.count
    const every = Math.max(1, Math.ceil(count / MAX_POINTS))
    const x: number[] = []
    for (let i = 0; i < count; i += every) x.push(topic.rows[i * stride] / 1e6)
    const byUnit = new Map<string, number[]>()
    topic.fields.forEach((f, k) => byUnit.set(unitOf(f), [...(byUnit.get(unitOf(f)) ?? []), k]))
    return [...byUnit].map(([unit, ks]) => ({
        title: topic.name,
        unit,
        x,
        series: ks.map(k => {
            const values: number[] = []
            for (let i = 0; i < count; i += every) values.push(topic.rows[i * stride + 1 + k])
            return { label: topic.fields[k], values }
        }),
    }))
}

export function busCharts(segments: BusSegment[]): ReportChart[] {
    return segments
        .filter(s => s.timed && s.windowBusyUs.length)
        .map(s => ({
            title: `bus ${s.name}`,
            unit: "%",
            x: s.windowBusyUs.map((_, i) => ((i + 1) * s.loadWindowUs) / 1e6),
            series: [{ label: "loadPct", values: s.windowBusyUs.map(b => (100 * b) / s.loadWindowUs) }],
        }))
}

const esc = (s: string) => s.replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!)

const cell = (v: unknown) => esc(typeof v === "object" && v !== null ? JSON.stringify(v).replace(/,"/g, ', "') : String(v))

/** a list of like objects (the rows of a table, e.g. the fault cases) as a table of its own */
function objectTable(rows: Record<string, unknown>[]): string {
    const keys = [...new Set(rows.flatMap(r => Object.keys(r)))]
    const head = keys.map(k => `<th>${esc(k)}</th>`).join("")
    const body = rows.map(r => `<tr>${keys.map(k => `<td>${cell(r[k])}</td>`).join("")}</tr>`).join("\n")
    return `<table><tr>${head}</tr>${body}</table>`
}

function metricRows(metrics: Record<string, unknown>): string {
    return Object.entries(metrics)
        .map(([k, v]) => {
            const rows = Array.isArray(v) && v.length && v.every(x => typeof x === "object" && x !== null && !Array.isArray(x))
            return `<tr><td>${esc(k)}</td><td>${rows ? objectTable(v as Record<string, unknown>[]) : cell(v)}</td></tr>`
        })
        .join("\n")
}

export function renderReport(result: SimResult, charts: ReportChart[]): string {
    const uplotJs = fs.readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8")
    const uplotCss = fs.readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8")
    const summary = {
        scenario: result.scenario,
        seed: result.seed,
        simSeconds: result.simSeconds,
        wallSeconds: result.wallSeconds,
        realTimeFactor: result.realTimeFactor,
        boards: result.boards,
        busLoadPct: result.busLoadPct,
        panics: result.panics,
        traceHash: result.traceHash,
    }
    const faults = result.faults.length
        ? result.faults.map(f => `<tr><td>${esc(f.board)}</td><td>${esc(f.code)}</td><td>${f.tS.toFixed(4)}</td></tr>`).join("\n")
        : `<tr><td colspan="3">none</td></tr>`
    const panics = result.panicDetails.map(p => `<li><b>${esc(p.board)}</b> code ${p.code} at ${(p.tUs / 1e6).toFixed(4)} s<pre>${esc(p.message)}</pre></li>`).join("")
    return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(result.scenario)}: humanoid-firmware simulation report</title>
<style>${uplotCss}
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;max-width:1000px;overflow-wrap:anywhere}
#charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:14px}
.chart h3{font-size:13px;margin:0 0 4px}
</style></head><body>
<h1>${esc(result.scenario)}</h1>
<h2>Summary</h2><table>${metricRows(summary)}</table>
<h2>Metrics</h2><table id="metrics">${metricRows(result.metrics)}</table>
<h2>Faults</h2><table><tr><th>board</th><th>fault</th><th>time (s)</th></tr>${faults}</table>
${panics ? `<h2>Panics</h2><ul>${panics}</ul>` : ""}
<h2>Signals</h2><div id="charts"></div>
<script>${uplotJs}</script>
<script>
const charts = ${JSON.stringify(charts)};
const colors = ["#1f77b4","#d62728","#2ca02c","#ff7f0e","#9467bd","#8c564b"];
const host = document.getElementById("charts");
window.drawnCharts = 0;
for (const c of charts) {
  const div = document.createElement("div"); div.className = "chart";
  const h = document.createElement("h3"); h.textContent = c.title + (c.unit ? " [" + c.unit + "]" : ""); div.appendChild(h);
  host.appendChild(div);
  new uPlot({ width: 440, height: 220, scales: { x: { time: false } },
    series: [{ label: "t (s)" }, ...c.series.map((s, i) => ({ label: s.label, stroke: colors[i % colors.length], width: 1 }))],
    axes: [{ label: "time (s)" }, { label: c.unit }] }, [c.x, ...c.series.map(s => s.values)], div);
  window.drawnCharts++;
}
</script></body></html>
`
}
