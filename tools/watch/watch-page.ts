// The live page of `hfw watch`: a joint board's telemetry as it arrives over a WebSocket, the last
// WINDOW_S seconds in rolling uPlot plots (inlined, like the reports): current and its reference,
// angle, velocity, winding temperature, loop timing; mode, fault and update rate as text; a button
// to record what is shown to MCAP. It never sends the board anything. `window.watchUpdates` counts
// the messages drawn, `window.watchErrors` collects script errors, for a headless browser to check.
import fs from "node:fs"
import { createRequire } from "node:module"
import { escapeHtml } from "../../sim/report/page.ts"

const require = createRequire(import.meta.url)

/** the plots: title, y label, and the telemetry fields drawn */
export const WATCH_PLOTS = [
    { title: "current", yLabel: "current (A)", fields: ["currentRefA", "currentA"] },
    { title: "angle", yLabel: "angle (rad)", fields: ["angleRad"] },
    { title: "velocity", yLabel: "velocity (rad/s)", fields: ["velocityRadS"] },
    { title: "winding temperature", yLabel: "temperature (°C)", fields: ["windingC"] },
    { title: "loop timing", yLabel: "period (µs)", fields: ["loopPeriodMeanUs", "loopPeriodP99DevUs"] },
]

const WINDOW_S = 10

const SCRIPT = `
const COLORS = ["#999", "#1f77b4", "#d62728"];
const plots = PLOTS.map((p, i) => {
  const data = [[], ...p.fields.map(() => [])];
  const opts = {
    width: 480, height: 200, legend: { live: false },
    scales: { x: { time: false } },
    series: [{ label: "time (s)" }, ...p.fields.map((f, k) => ({ label: f, stroke: COLORS[(k + (p.fields.length === 1)) % COLORS.length], width: 1.5 }))],
    axes: [{ label: "time (s)" }, { label: p.yLabel }],
  };
  return { p, data, u: new uPlot(opts, data, document.getElementById("plot-" + i)) };
});
let shown = []; // the messages in the window, for the record button's count
function onMessage(m) {
  for (const { p, data } of plots) {
    data[0].push(m.tS);
    p.fields.forEach((f, k) => data[k + 1].push(m[f]));
    while (data[0].length && data[0][0] < m.tS - WINDOW_S) data.forEach(a => a.shift());
  }
  for (const { data, u } of plots) u.setData(data);
  document.getElementById("mode").textContent = m.mode;
  document.getElementById("fault").textContent = m.fault;
  document.getElementById("rate").textContent = m.rateHz == null ? "-" : m.rateHz.toFixed(1); // null: not a second yet
  window.watchUpdates++;
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

export function watchPage(title: string): string {
    const uplotJs = fs.readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8")
    const uplotCss = fs.readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8")
    const divs = WATCH_PLOTS.map((p, i) => `<div class="plot" id="plot-${i}"><h3>${escapeHtml(p.title)}</h3></div>`)
    return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${uplotCss}
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}.plots{display:flex;flex-wrap:wrap;gap:14px}.plot h3{font-size:13px;margin:0 0 4px}
.status span{font-weight:bold;margin-right:1.5em}</style>
<script>window.watchUpdates = 0; window.watchErrors = []; addEventListener("error", e => window.watchErrors.push(String(e.message)));</script>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p class="status" id="status">mode <span id="mode">-</span> fault <span id="fault">-</span> telemetry <span id="rate">-</span> Hz
<button id="record">record to MCAP</button> <span id="recorded"></span></p>
<p>Read-only: this page and hfw watch never command the board. The last ${WINDOW_S} s.</p>
<div class="plots">${divs.join("\n")}</div>
<script>${uplotJs}</script>
<script>const PLOTS = ${JSON.stringify(WATCH_PLOTS)}; const WINDOW_S = ${WINDOW_S};
${SCRIPT}</script></body></html>
`
}
