// A self-contained HTML page from a plain description: sections, each a heading with any of a
// lead paragraph, a key/value table, a table of rows (a row's `pass` or `passed` field colours it
// green or red; a cell may be a bar against a limit), preformatted text, SVG figures and plots (lines,
// points, bars, a logarithmic x axis, timeline lanes, marker lines, a second y axis), drawn with
// uPlot, which is inlined so the file opens anywhere without a network. A section may start
// collapsed. The page sets `window.drawnCharts` (plots created) and `window.reportErrors` (every
// script error) for a headless browser to check.
import fs from "node:fs"
import { createRequire } from "node:module"
import { PAGE_SCRIPT } from "./page-script.ts"

const require = createRequire(import.meta.url)

export type PlotKind = "line" | "points" | "bars"

export interface PlotSeries {
    label: string
    /** one value per x; null leaves a gap */
    values: (number | null)[]
    /** how this series is drawn; the plot's kind when absent */
    kind?: PlotKind
    /** x values of this series' own (events, a timeline); the plot's x when absent */
    x?: number[]
    /** drawn against the plot's second y axis (y2Label) */
    axis?: 2
    dash?: boolean
    /** line width, or point size, in pixels */
    width?: number
    size?: number
    color?: string
}

/** a vertical line across a plot at `x`, with its label: an event on a time axis, a percentile */
export interface Marker {
    x: number
    label: string
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
    /** a fixed x range: small multiples share one time axis */
    xRange?: [number, number]
    /** lanes of a timeline: y = 0, 1, ... labelled with these */
    yLanes?: string[]
    /** label (with unit) of a second y axis, on the right, for series with axis: 2 */
    y2Label?: string
    markers?: Marker[]
    /** plots with the same key move their cursors together */
    syncKey?: string
    width?: number
    height?: number
}

/** an SVG drawing (what uPlot does not draw: points on a sole's outline); `marks` counts its data marks */
export interface Figure {
    title: string
    svg: string
    marks: number
}

/** a table cell drawn as a bar of `value` against `limit` (at two thirds of the bar's width) */
export interface BarCell {
    value: number | null
    limit: number
    unit: string
}

export interface PageSection {
    heading: string
    /** a paragraph under the heading: what the section answers */
    lead?: string
    /** starts collapsed (the raw signals at the end of a report) */
    collapsed?: boolean
    /** a two-column table; a value that is a list of like objects becomes a table of its own */
    keyValues?: Record<string, unknown>
    /** one table row per object, a column per key; a row with `pass` (or `passed`): true|false is green|red */
    rows?: Record<string, unknown>[]
    text?: string
    figures?: Figure[]
    plots?: Plot[]
}

export interface Page {
    title: string
    sections: PageSection[]
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

const isBar = (v: unknown): v is BarCell => typeof v === "object" && v !== null && "limit" in v && "value" in v

const BAR_LIMIT_AT_PCT = 200 / 3

function barCell(b: BarCell): string {
    const text = b.value === null ? "none" : `${b.value} ${b.unit}`
    const width = b.value === null ? 0 : Math.min(100, (BAR_LIMIT_AT_PCT * b.value) / b.limit)
    const over = b.value === null || b.value > b.limit ? " over" : ""
    return `<div class="bar${over}"><div class="fill" style="width:${width.toFixed(1)}%"></div><div class="limit" style="left:${BAR_LIMIT_AT_PCT.toFixed(1)}%"></div></div>${escapeHtml(`${text} (limit ${b.limit} ${b.unit})`)}`
}

const cell = (v: unknown) =>
    v === undefined ? "" : isBar(v) ? barCell(v) : escapeHtml(typeof v === "object" && v !== null ? JSON.stringify(v).replace(/,"/g, ', "') : String(v))

const isRowList = (v: unknown): v is Record<string, unknown>[] =>
    Array.isArray(v) && v.length > 0 && v.every(x => typeof x === "object" && x !== null && !Array.isArray(x))

function rowsTable(rows: Record<string, unknown>[]): string {
    if (!rows.length) return "<p>none</p>"
    const keys = [...new Set(rows.flatMap(r => Object.keys(r)))]
    const head = keys.map(k => `<th>${escapeHtml(k)}</th>`).join("")
    const body = rows.map(r => {
        const ok = r.pass ?? r.passed
        const cls = ok === true ? ` class="pass"` : ok === false ? ` class="fail"` : ""
        return `<tr${cls}>${keys.map(k => `<td>${(k === "pass" || k === "passed") && typeof r[k] === "boolean" ? (r[k] ? "pass" : "FAIL") : cell(r[k])}</td>`).join("")}</tr>`
    })
    return `<table><tr>${head}</tr>\n${body.join("\n")}</table>`
}

function keyValueTable(values: Record<string, unknown>): string {
    const rows = Object.entries(values).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${isRowList(v) ? rowsTable(v) : cell(v)}</td></tr>`)
    return `<table>${rows.join("\n")}</table>`
}

/** the section's HTML; its plots get placeholders numbered from `firstPlot`, filled by the page script */
function sectionHtml(s: PageSection, firstPlot: number): string {
    const heading = `<h2>${escapeHtml(s.heading)}</h2>`
    const parts = [s.collapsed ? `<details class="section"><summary>${heading}</summary>` : heading]
    if (s.lead) parts.push(`<p class="lead">${escapeHtml(s.lead)}</p>`)
    // tables, figures and a single plot side by side; several plots in a grid of their own below
    const body: string[] = []
    if (s.keyValues) body.push(keyValueTable(s.keyValues))
    if (s.rows) body.push(rowsTable(s.rows))
    if (s.text !== undefined) body.push(`<pre>${escapeHtml(s.text)}</pre>`)
    for (const f of s.figures ?? []) body.push(`<div class="figure" data-marks="${f.marks}"><h3>${escapeHtml(f.title)}</h3>${f.svg}</div>`)
    const plots = (s.plots ?? []).map((p, i) => `<div class="plot" id="plot-${firstPlot + i}"><h3>${escapeHtml(p.title)}</h3></div>`)
    if (plots.length === 1) body.push(plots[0])
    parts.push(`<div class="body">${body.join("\n")}</div>`)
    if (plots.length > 1) parts.push(`<div class="plots">${plots.join("\n")}</div>`)
    if (s.collapsed) parts.push("</details>")
    return `<section>${parts.join("\n")}</section>`
}

/** JSON that is safe inside a <script> element */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c")

const STYLE = `
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;max-width:1000px;overflow-wrap:anywhere}
tr.pass{background:#dff3df}tr.fail{background:#f8d7d7}
.plots{display:flex;flex-wrap:wrap;gap:14px}
.plot h3,.figure h3{font-size:13px;margin:0 0 4px}
p.lead{max-width:1000px;color:#444}
.body{display:flex;flex-wrap:wrap;gap:0 24px;align-items:flex-start}
details.section>summary{cursor:pointer}details.section>summary h2{display:inline}
.bar{display:inline-block;position:relative;width:160px;height:12px;background:#eee;margin-right:8px;vertical-align:middle}
.bar .fill{position:absolute;left:0;top:0;bottom:0;background:#2ca02c}.bar.over .fill{background:#d62728}
.bar .limit{position:absolute;top:-2px;bottom:-2px;width:2px;background:#222}
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
