// The live page of `hfw watch`: one board's samples as they arrive over a WebSocket, the last
// WINDOW_S seconds in rolling uPlot plots (inlined, like the reports), the board kind's plots
// (board-watch.ts); its events as markers on the plots that ask for them; a foot's sole seen from
// above, each cell's force a disc and the centre of pressure's last second a trail; the status line
// and the update rate as text; a button to record what is shown to MCAP. It never sends the board
// anything. `window.watchUpdates` counts the samples drawn, `window.watchEvents` the events,
// `window.watchErrors` collects script errors, for a headless browser to check.
import fs from "node:fs"
import { createRequire } from "node:module"
import { escapeHtml } from "../../sim/report/page.ts"
import { MARKERS_SCRIPT } from "../../sim/report/page-script.ts"
import type { BoardWatch } from "./board-watch.ts"

const require = createRequire(import.meta.url)

const WINDOW_S = 10
/** the sole view's trail of the centre of pressure */
const TRAIL_S = 1

/** what the page gets over the WebSocket: a sample or an event, times in s since the watch began */
export type PageMessage =
    | { type: "sample"; tS: number; rateHz: number; values: Record<string, number>; status: Record<string, string> }
    | { type: "event"; tS: number; label: string }

const SCRIPT = `
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"];
${MARKERS_SCRIPT}
let events = []; // in the window, as markers
const plots = VIEW.plots.map((p, i) => {
  const data = [[], ...p.fields.map(() => [])];
  const lanes = p.lanes;
  const opts = {
    width: 480, height: 200, legend: { live: false },
    scales: { x: { time: false }, y: lanes ? { range: () => [-0.5, lanes.length - 0.5] } : {} },
    series: [{ label: "time (s)" }, ...p.fields.map((f, k) => ({
      label: (p.labels || p.fields)[k], stroke: COLORS[k % COLORS.length], width: 1.5,
      paths: lanes ? uPlot.paths.stepped({ align: 1 }) : undefined,
    }))],
    axes: [{ label: "time (s)" }, lanes
      ? { label: p.yLabel, size: 16 + 7 * Math.max(...lanes.map(l => l.length)), splits: () => lanes.map((_, i) => i), values: (u, vals) => vals.map(v => lanes[v] ?? "") }
      : { label: p.yLabel }],
    hooks: p.events ? { draw: [u => drawMarkers(u, events)] } : {},
  };
  return { p, data, u: new uPlot(opts, data, document.getElementById("plot-" + i)) };
});
const sole = VIEW.sole && soleView(VIEW.sole, document.getElementById("sole"));
function soleView(s, canvas) {
  // the sole from above, toe up, outer side right (a left foot's outer side is its left: the picture is the board's frame)
  const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
  const halfXMm = 1.35 * Math.max(...s.cellXMm.map(Math.abs)), halfYMm = 1.6 * Math.max(...s.cellYMm.map(Math.abs));
  const scale = Math.min(H / 2 / halfXMm, W / 2 / halfYMm) * 0.95;
  const px = (xMm, yMm) => [W / 2 + yMm * scale, H / 2 - xMm * scale];
  const trail = [];
  return function draw(tS, m) {
    trail.push([tS, m.copXMm, m.copYMm]);
    while (trail[0][0] < tS - TRAIL_S) trail.shift();
    ctx.clearRect(0, 0, W, H);
    ctx.strokeStyle = "#999"; ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.ellipse(W / 2, H / 2, halfYMm * scale, halfXMm * scale, 0, 0, 2 * Math.PI); ctx.stroke();
    ctx.font = "11px sans-serif"; ctx.fillStyle = "#666"; ctx.textAlign = "center";
    ctx.fillText("toe", W / 2, 12); ctx.fillText("heel", W / 2, H - 4);
    s.cellXMm.forEach((x, i) => {
      const f = m["cell" + i + "N"], [cx, cy] = px(x, s.cellYMm[i]);
      if (!(m.healthyCells & (1 << i))) { // a faulty cell: a grey ring, its reading not used
        ctx.strokeStyle = "#999"; ctx.beginPath(); ctx.arc(cx, cy, 8, 0, 2 * Math.PI); ctx.stroke();
        ctx.fillStyle = "#333"; ctx.fillText("faulty", cx, cy + 20);
        return;
      }
      const r = 3 + 25 * Math.sqrt(Math.max(0, f ?? 0) / s.ratedN); // area proportional to force, the largest at the rating
      ctx.fillStyle = COLORS[i] + "99"; ctx.beginPath(); ctx.arc(cx, cy, r, 0, 2 * Math.PI); ctx.fill();
      ctx.fillStyle = "#333"; ctx.fillText(f == null ? "-" : f.toFixed(0) + " N", cx, cy + r + 12);
    });
    ctx.strokeStyle = "#d62728"; ctx.fillStyle = "#d62728"; ctx.beginPath();
    let drawing = false;
    for (const [, x, y] of trail) {
      if (x == null || y == null) { drawing = false; continue; } // not valid: the trail breaks
      const [cx, cy] = px(x, y);
      if (drawing) ctx.lineTo(cx, cy); else ctx.moveTo(cx, cy);
      drawing = true;
    }
    ctx.stroke();
    if (m.copXMm != null && m.copYMm != null) { const [cx, cy] = px(m.copXMm, m.copYMm); ctx.beginPath(); ctx.arc(cx, cy, 5, 0, 2 * Math.PI); ctx.fill(); }
  };
}
function onSample(m) {
  for (const { p, data } of plots) {
    data[0].push(m.tS);
    p.fields.forEach((f, k) => data[k + 1].push(m.values[f]));
    while (data[0].length && data[0][0] < m.tS - WINDOW_S) data.forEach(a => a.shift());
  }
  while (events.length && events[0].x < m.tS - WINDOW_S) events.shift();
  for (const { data, u } of plots) u.setData(data);
  if (sole) sole(m.tS, m.values);
  for (const [id, text] of Object.entries(m.status)) document.getElementById(id).textContent = text;
  document.getElementById("rate").textContent = m.rateHz == null ? "-" : m.rateHz.toFixed(1); // null: not a second yet
  window.watchUpdates++;
}
function onMessage(m) {
  if (m.type === "event") { events.push({ x: m.tS, label: m.label }); window.watchEvents++; }
  else onSample(m);
}
const ws = new WebSocket("ws://" + location.host + "/live");
ws.onmessage = e => { try { onMessage(JSON.parse(e.data)); } catch (err) { window.watchErrors.push(String(err)); } };
ws.onclose = () => { document.getElementById("status").textContent = "disconnected"; };
document.getElementById("record").onclick = async () => {
  const b = document.getElementById("record");
  const r = await (await fetch(b.dataset.on ? "/record/stop" : "/record/start", { method: "POST" })).json();
  b.dataset.on = r.recording ? "1" : "";
  b.textContent = r.recording ? "stop and write MCAP" : "record to MCAP";
  document.getElementById("recorded").textContent = r.file ? "wrote " + r.file + " (" + r.messages + " messages)" : r.recording ? "recording..." : "";
};
`

export function watchPage(title: string, view: Pick<BoardWatch, "plots" | "status" | "sole">): string {
    const uplotJs = fs.readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8")
    const uplotCss = fs.readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8")
    const divs = view.plots.map((p, i) => `<div class="plot" id="plot-${i}"><h3>${escapeHtml(p.title)}</h3></div>`)
    if (view.sole) divs.push(`<div class="plot"><h3>sole from above (toe up, outer side right): cell forces, centre of pressure (last ${TRAIL_S} s)</h3><canvas id="sole" width="220" height="290"></canvas></div>`)
    const status = view.status.map(s => `${escapeHtml(s.label)} <span id="${s.id}">-</span>`).join(" ")
    return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${uplotCss}
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}.plots{display:flex;flex-wrap:wrap;gap:14px}.plot h3{font-size:13px;margin:0 0 4px}
.status span{font-weight:bold;margin-right:1.5em}</style>
<script>window.watchUpdates = 0; window.watchEvents = 0; window.watchErrors = []; addEventListener("error", e => window.watchErrors.push(String(e.message)));</script>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p class="status" id="status">${status} updates <span id="rate">-</span> Hz
<button id="record">record to MCAP</button> <span id="recorded"></span></p>
<p>Read-only: this page and hfw watch never command the board. The last ${WINDOW_S} s.</p>
<div class="plots">${divs.join("\n")}</div>
<script>${uplotJs}</script>
<script>const VIEW = ${JSON.stringify({ plots: view.plots, sole: view.sole })}; const WINDOW_S = ${WINDOW_S}; const TRAIL_S = ${TRAIL_S};
${SCRIPT}</script></body></html>
`
}
