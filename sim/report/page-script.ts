// The script a report page runs in the browser: draws each plot of `PLOTS` with uPlot into its
// placeholder. Series with x values of their own are joined onto one x axis (uPlot.join: a series
// spans the x values it has no sample at, and a null in its own data is a gap). Markers are vertical
// lines in grey (not counted as data by the page check) with their label. Errors are collected
// rather than thrown so one bad plot leaves the others drawn.

/** drawMarkers(u, markers): each {x, label} a dashed grey vertical line with its label, in a uPlot draw hook */
export const MARKERS_SCRIPT = `
const MARKER_COLOR = "#666";
function drawMarkers(u, markers) {
  const ctx = u.ctx, top = u.bbox.top, bottom = u.bbox.top + u.bbox.height;
  ctx.save();
  ctx.strokeStyle = MARKER_COLOR; ctx.fillStyle = MARKER_COLOR; ctx.setLineDash([3, 3]); ctx.lineWidth = devicePixelRatio;
  ctx.font = (10 * devicePixelRatio) + "px sans-serif"; ctx.textBaseline = "top";
  markers.forEach((m, i) => {
    const x = Math.round(u.valToPos(m.x, "x", true));
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
    ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke();
    const y = top + (2 + 11 * (i % 4)) * devicePixelRatio; // staggered: near markers stay legible
    const left = x + 3 + ctx.measureText(m.label).width > u.bbox.left + u.bbox.width; // near the right edge: on the left
    ctx.textAlign = left ? "right" : "left";
    ctx.fillText(m.label, left ? x - 3 : x + 3, y);
  });
  ctx.restore();
}
`

export const PAGE_SCRIPT = `
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];
${MARKERS_SCRIPT}function seriesOptions(s, kind, color) {
  const scale = s.axis === 2 ? "y2" : "y";
  if (kind === "points") return { label: s.label, scale, stroke: color, paths: () => null, points: { show: true, size: s.size || 6, stroke: color, fill: color } };
  if (kind === "bars") return { label: s.label, scale, stroke: color, fill: color + "aa", paths: uPlot.paths.bars({ size: [0.8, Infinity] }), points: { show: false } };
  return { label: s.label, scale, stroke: color, width: s.width || 1.5, dash: s.dash ? [6, 4] : undefined, points: { show: false } };
}
function plotOptions(p) {
  const bars = p.kind === "bars" || p.series.some(s => s.kind === "bars");
  const halfBin = p.x.length > 1 ? (p.x[p.x.length - 1] - p.x[0]) / (p.x.length - 1) / 2 : 0.5;
  const x = p.xLog ? { time: false, distr: 3, log: 10 } : { time: false };
  if (p.xRange) x.range = () => p.xRange;
  else if (bars) x.range = (u, min, max) => [min - halfBin, max + halfBin]; // whole bars at the edges
  const y = p.yLanes ? { range: () => [-0.5, p.yLanes.length - 0.5] }
    : bars ? { range: (u, min, max) => uPlot.rangeNum(Math.min(0, min), Math.max(0, max), 0.1, true) } : {};
  const scales = { x, y };
  const yAxis = { label: p.yLabel };
  if (p.yLanes) Object.assign(yAxis, { size: 16 + 7 * Math.max(...p.yLanes.map(l => l.length)), splits: () => p.yLanes.map((_, i) => i), values: (u, vals) => vals.map(v => p.yLanes[v] ?? "") });
  const axes = [{ label: p.xLabel }, yAxis];
  if (p.y2Label) {
    scales.y2 = {};
    axes.push({ label: p.y2Label, scale: "y2", side: 1, grid: { show: false } });
  }
  return {
    width: p.width || 480, height: p.height || 240, scales, axes,
    series: [{ label: p.xLabel }, ...p.series.map((s, i) => seriesOptions(s, s.kind || p.kind, s.color || COLORS[i % COLORS.length]))],
    cursor: p.syncKey ? { sync: { key: p.syncKey } } : {},
    legend: { live: false },
    hooks: p.markers && p.markers.length ? { draw: [u => drawMarkers(u, p.markers)] } : {},
  };
}
function plotData(p) {
  if (!p.series.some(s => s.x)) return [p.x, ...p.series.map(s => s.values)];
  // NULL_EXPAND (2): a gap in a series runs on over the x values only other series have
  return uPlot.join(p.series.map(s => [s.x || p.x, s.values]), p.series.map(() => [0, 2]));
}
PLOTS.forEach((p, i) => {
  try {
    new uPlot(plotOptions(p), plotData(p), document.getElementById("plot-" + i));
    window.drawnCharts++;
  } catch (e) {
    window.reportErrors.push(p.title + ": " + (e && e.message || e));
  }
});
`
