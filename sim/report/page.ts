// A self-contained HTML page from a plain description: sections, each a heading with any of a
// key/value table, a table of rows (a row's `pass` or `passed` field colours it green or red),
// preformatted text and plots (lines, points, bars, a logarithmic x axis), drawn with uPlot, which is
// inlined so the file opens anywhere without a network. The page sets `window.drawnCharts` (plots created) and
// `window.reportErrors` (every script error) for a headless browser to check.
import fs from "node:fs"
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)

export type PlotKind = "line" | "points" | "bars"

export interface PlotSeries {
    label: string
    /** one value per x; null leaves a gap */
    values: (number | null)[]
    /** how this series is drawn; the plot's kind when absent */
    kind?: PlotKind
}

export interface Plot {
    title: string
    /** axis labels carry their units: "frequency (Hz)", "magnitude (dB)" */
    xLabel: string
    yLabel: string
    /** logarithmic x axis (a Bode plot's frequency); every x must be positive */
    xLog?: boolean
    kind: PlotKind
    x: number[]
    series: PlotSeries[]
}

export interface PageSection {
    heading: string
    /** a two-column table; a value that is a list of like objects becomes a table of its own */
    keyValues?: Record<string, unknown>
    /** one table row per object, a column per key; a row with `pass` (or `passed`): true|false is green|red */
    rows?: Record<string, unknown>[]
    text?: string
    plots?: Plot[]
}

export interface Page {
    title: string
    sections: PageSection[]
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

const cell = (v: unknown) => escapeHtml(typeof v === "object" && v !== null ? JSON.stringify(v).replace(/,"/g, ', "') : String(v))

const isRowList = (v: unknown): v is Record<string, unknown>[] =>
    Array.isArray(v) && v.length > 0 && v.every(x => typeof x === "object" && x !== null && !Array.isArray(x))

function rowsTable(rows: Record<string, unknown>[]): string {
    if (!rows.length) return "<p>none</p>"
    const keys = [...new Set(rows.flatMap(r => Object.keys(r)))]
    const head = keys.map(k => `<th>${escapeHtml(k)}</th>`).join("")
    const body = rows.map(r => {
        const ok = r.pass ?? r.passed
        const cls = ok === true ? ` class="pass"` : ok === false ? ` class="fail"` : ""
        return `<tr${cls}>${keys.map(k => `<td>${cell(r[k])}</td>`).join("")}</tr>`
    })
    return `<table><tr>${head}</tr>\n${body.join("\n")}</table>`
}

function keyValueTable(values: Record<string, unknown>): string {
    const rows = Object.entries(values).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${isRowList(v) ? rowsTable(v) : cell(v)}</td></tr>`)
    return `<table>${rows.join("\n")}</table>`
}

/** the section's HTML; its plots get placeholders numbered from `firstPlot`, filled by the page script */
function sectionHtml(s: PageSection, firstPlot: number): string {
    const parts = [`<h2>${escapeHtml(s.heading)}</h2>`]
    if (s.keyValues) parts.push(keyValueTable(s.keyValues))
    if (s.rows) parts.push(rowsTable(s.rows))
    if (s.text !== undefined) parts.push(`<pre>${escapeHtml(s.text)}</pre>`)
    if (s.plots?.length) {
        const divs = s.plots.map((p, i) => `<div class="plot" id="plot-${firstPlot + i}"><h3>${escapeHtml(p.title)}</h3></div>`)
        parts.push(`<div class="plots">${divs.join("\n")}</div>`)
    }
    return parts.join("\n")
}

/** JSON that is safe inside a <script> element */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c")

// Runs in the browser. Errors are collected rather than thrown so one bad plot leaves the others drawn.
const PAGE_SCRIPT = `
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];
function seriesOptions(s, kind, color) {
  if (kind === "points") return { label: s.label, stroke: color, paths: () => null, points: { show: true, size: 6, stroke: color, fill: color } };
  if (kind === "bars") return { label: s.label, stroke: color, fill: color + "aa", paths: uPlot.paths.bars({ size: [0.8, Infinity] }), points: { show: false } };
  return { label: s.label, stroke: color, width: 1.5 };
}
function plotOptions(p) {
  const bars = p.kind === "bars" || p.series.some(s => s.kind === "bars");
  const halfBin = p.x.length > 1 ? (p.x[p.x.length - 1] - p.x[0]) / (p.x.length - 1) / 2 : 0.5;
  const x = p.xLog ? { time: false, distr: 3, log: 10 } : { time: false };
  if (bars) x.range = (u, min, max) => [min - halfBin, max + halfBin]; // whole bars at the edges
  const y = bars ? { range: (u, min, max) => uPlot.rangeNum(Math.min(0, min), Math.max(0, max), 0.1, true) } : {};
  return {
    width: 480, height: 240, scales: { x, y },
    series: [{ label: p.xLabel }, ...p.series.map((s, i) => seriesOptions(s, s.kind || p.kind, COLORS[i % COLORS.length]))],
    axes: [{ label: p.xLabel }, { label: p.yLabel }],
  };
}
PLOTS.forEach((p, i) => {
  try {
    new uPlot(plotOptions(p), [p.x, ...p.series.map(s => s.values)], document.getElementById("plot-" + i));
    window.drawnCharts++;
  } catch (e) {
    window.reportErrors.push(p.title + ": " + (e && e.message || e));
  }
});
`

const STYLE = `
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;max-width:1000px;overflow-wrap:anywhere}
tr.pass{background:#dff3df}tr.fail{background:#f8d7d7}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(490px,1fr));gap:14px}
.plot h3{font-size:13px;margin:0 0 4px}
`

export function renderPage(page: Page): string {
    const uplotJs = fs.readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8")
    const uplotCss = fs.readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8")
    const plots: Plot[] = []
    const body = page.sections.map(s => {
        const html = sectionHtml(s, plots.length)
        plots.push(...(s.plots ?? []))
        return html
    })
    return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title>
<style>${uplotCss}${STYLE}</style>
<script>
window.reportErrors = [];
window.drawnCharts = 0;
addEventListener("error", e => window.reportErrors.push(String(e.message)));
</script></head><body>
<h1>${escapeHtml(page.title)}</h1>
${body.join("\n")}
<script>${uplotJs}</script>
<script>
const PLOTS = ${scriptJson(plots)};
${PAGE_SCRIPT}</script></body></html>
`
}
