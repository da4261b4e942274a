// `npm run bench:hour [-- --duration S] [--out DIR] [--json]`: an hour on the floor (issue 17, case 7).
// A benchmark, not a test (test/robot-long.test.ts walks a few minutes): robot-walk for an hour of
// virtual time with its trace written, and what design/targets.md asks of it ("one hour of virtual
// time: no heap growth, no missed loop periods beyond the first second"): faults, deadline misses
// after the first second, the worst minute's tracking RMS against the walk's 1 degree, each board's
// heap high-water at minutes 1, 30 and 60 (the most after a collection up to then) and its growth
// after the first minute; and the host's side, measured in this process: wall time, the resident
// set and the JS heap every ten simulated minutes (flat: the trace goes to disk as it is recorded),
// the trace's size (trace.mcap, zstd-compressed, and the CSVs). Without --out the outputs go to a temporary folder, removed afterwards.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { parseArgs } from "node:util"
import { runScenario } from "../sim/run.ts"

const { values } = parseArgs({ options: { duration: { type: "string", default: "3600" }, out: { type: "string" }, json: { type: "boolean" } } })
const durationS = Number(values.duration)
if (!(durationS >= 60)) throw new Error(`--duration ${values.duration} is not accepted; seconds, at least 60 (a minute is the unit of the figures)`)
const scratch = values.out ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "hfw-hour-"))
const outDir = values.out ?? path.join(scratch!, "robot-walk")

const MB = 1024 * 1024
const host: { simMinute: number; wallS: number; rssMB: number; jsHeapMB: number }[] = []
const wall0 = performance.now()
/** the JS heap's live data: collected first where node runs with --expose-gc (npm run bench:hour does) */
const gc = (globalThis as { gc?: () => void }).gc
const sampleHost = (simS: number) => {
    gc?.()
    const m = process.memoryUsage()
    host.push({ simMinute: Math.round(simS / 60), wallS: Math.round((performance.now() - wall0) / 1000), rssMB: Math.round(m.rss / MB), jsHeapMB: Math.round(m.heapUsed / MB) })
}
let nextSampleS = 60
process.stderr.write(`robot-walk for ${durationS} s of virtual time (about ${Math.round(durationS / 3.5 / 60)} min of one core), trace to ${outDir}\n`)
const r = await runScenario({
    scenario: "robot-walk",
    durationS,
    outDir,
    onProgress: simS => {
        if (simS < nextSampleS) return
        sampleHost(simS)
        process.stderr.write(`  ${JSON.stringify(host[host.length - 1])}\n`)
        nextSampleS += 60
    },
})
const totalWallS = (performance.now() - wall0) / 1000
sampleHost(durationS)

const m = r.metrics as Record<string, any>
const minutes = Math.ceil(durationS / 60)
const marks = [...new Set([1, 30, 60, minutes].filter(x => x <= minutes))]
/** the heap high-water up to the end of minute `n` (1-based): the most of its minutes so far */
const upTo = (byMinute: (number | null)[], n: number) => Math.max(...byMinute.slice(0, n).map(x => x ?? 0))
const heap = Object.fromEntries(r.cpu.map(c => [c.board, Object.fromEntries(marks.map(n => [`minute${n}`, upTo(c.heapHighWaterBytesByMinute, n)]))]))
const traceBytes = fs.statSync(path.join(outDir, "trace.mcap")).size
const traceCsvBytes = fs.readdirSync(path.join(outDir, "trace")).reduce((sum, f) => sum + fs.statSync(path.join(outDir, "trace", f)).size, 0)
const figures = {
    simSeconds: r.simSeconds,
    wallSeconds: r.wallSeconds,
    wallSecondsWithOutputs: Math.round(totalWallS),
    realTimeFactor: r.realTimeFactor,
    traceHash: r.traceHash,
    panics: r.panics,
    faults: r.faults,
    deadlineMissesAfterFirstSecond: m.deadlineMissesAfterFirstSecond,
    deadlineMisses: r.cpu.reduce((s, c) => s + (c.deadlineMisses ?? 0), 0),
    jointTrackingRmsDeg: m.jointTrackingRmsDeg,
    worstMinuteTrackingRmsDeg: m.worstMinuteTrackingRmsDeg,
    worstMinuteTrackingAt: m.worstMinuteTrackingAt,
    heapHighWaterBytes: heap,
    heapGrowthAfterFirstMinuteBytes: m.heapGrowthAfterFirstMinuteBytes,
    contactEvents: m.contactEvents,
    traceMcapBytes: traceBytes,
    traceCsvBytes,
    host: host.filter((h, i) => i === 0 || h.simMinute % 10 === 0 || i === host.length - 1),
}
if (scratch) fs.rmSync(scratch, { recursive: true, force: true })

const lines = [
    `robot-walk ${r.simSeconds} s simulated in ${r.wallSeconds} s wall (${r.realTimeFactor} x real time; ${figures.wallSecondsWithOutputs} s with writing the outputs)`,
    `  panics ${r.panics}   faults ${r.faults.length}   deadline misses ${figures.deadlineMisses}, after the first second ${figures.deadlineMissesAfterFirstSecond}`,
    `  tracking RMS ${m.jointTrackingRmsDeg} deg; worst minute ${m.worstMinuteTrackingRmsDeg} deg (minute ${m.worstMinuteTrackingAt.minute}, ${m.worstMinuteTrackingAt.joint}; target <= 1)`,
    `  heap high-water (B) up to minute ${marks.join(" / ")}, growth after the first minute at most ${m.heapGrowthAfterFirstMinuteBytes} B:`,
    ...Object.entries(heap).map(([board, h]) => `    ${board.padEnd(18)} ${Object.values(h).join(" / ")}`),
    `  trace.mcap ${(traceBytes / MB).toFixed(1)} MB, trace/*.csv ${(traceCsvBytes / MB).toFixed(1)} MB; this process: ${figures.host.map(h => `minute ${h.simMinute}: RSS ${h.rssMB} MB, JS heap ${h.jsHeapMB} MB`).join("; ")}`,
]
process.stderr.write(lines.join("\n") + "\n")
if (values.json) process.stdout.write(JSON.stringify(figures) + "\n")
