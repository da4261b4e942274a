// The HTML reports as a reader sees them: opened in headless Chromium, they load without errors and
// every plot is drawn.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { afterAll, describe, expect, test } from "vitest"
import { renderPage, type Page, type Plot } from "../sim/report/page.ts"
import { topicCharts } from "../sim/report/html.ts"
import { runScenario } from "../sim/run.ts"
import { TraceTopic } from "../sim/trace.ts"
import { renderInChromium } from "./browser.ts"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-report-page-"))
afterAll(() => fs.rmSync(dir, { recursive: true }))

function writePage(name: string, html: string): string {
    const file = path.join(dir, name)
    fs.writeFileSync(file, html)
    return file
}

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i))

const timeS = range(200, i => i * 0.0005)
const stepResponse: Plot = {
    title: "current step",
    xLabel: "time (s)",
    yLabel: "current (A)",
    kind: "line",
    x: timeS,
    series: [
        { label: "commandA", values: timeS.map(t => (t >= 0.01 ? 10 : 0)) },
        { label: "currentA", values: timeS.map(t => (t >= 0.01 ? 10 * (1 - Math.exp(-(t - 0.01) / 0.002)) : 0)) },
    ],
}

const velocityRadS = range(41, i => -10 + i * 0.5)
const frictionFit = (v: number) => Math.sign(v) * 1.5 + 0.2 * v
const friction: Plot = {
    title: `friction <fit> & "points"`, // escaped, shown as written
    xLabel: "velocity (rad/s)",
    yLabel: "torque (N·m)",
    kind: "points",
    x: velocityRadS,
    series: [
        { label: "measuredNm", values: velocityRadS.map((v, i) => frictionFit(v) + 0.3 * Math.sin(i * 1.7)) },
        { label: "fittedNm", values: velocityRadS.map(frictionFit), kind: "line" },
    ],
}

const periodUs = range(21, i => 990 + i)
const loopPeriods: Plot = {
    title: "loop period",
    xLabel: "period (µs)",
    yLabel: "count",
    kind: "bars",
    x: periodUs,
    series: [{ label: "periods", values: periodUs.map(p => Math.round(500 * Math.exp(-(((p - 1000) / 3) ** 2)))) }],
}

// a first-order low pass at 100 Hz
const frequencyHz = range(61, i => 10 ** (i / 20))
const bode = (name: string, yLabel: string, label: string, f: (ratio: number) => number): Plot => ({
    title: `current loop ${name}`,
    xLabel: "frequency (Hz)",
    yLabel,
    xLog: true,
    kind: "line",
    x: frequencyHz,
    series: [{ label, values: frequencyHz.map(hz => f(hz / 100)) }],
})
const magnitude = bode("magnitude", "magnitude (dB)", "magnitudeDb", r => -10 * Math.log10(1 + r * r))
const phase = bode("phase", "phase (°)", "phaseDeg", r => (-Math.atan(r) * 180) / Math.PI)

const plots = [stepResponse, friction, loopPeriods, magnitude, phase]
const page: Page = {
    title: "actuator bench <test>",
    sections: [
        { heading: "Summary", keyValues: { actuator: "large", rows: [{ a: 1 }, { a: 2 }] } },
        { heading: "Checks", rows: [{ check: "rise time", pass: true }, { check: "overshoot", pass: false }] },
        { heading: "Fault cases", rows: [{ fault: "stuck encoder", passed: true }, { fault: "bus loss", passed: false }] },
        { heading: "Log", text: "line 1\n<not a tag>" },
        { heading: "Step response", plots: [stepResponse] },
        { heading: "Friction and loop timing", plots: [friction, loopPeriods] },
        { heading: "Frequency response", plots: [magnitude, phase] },
    ],
}

describe("report page in Chromium", () => {
    test("a page with line, points with a fitted line, bars and log-frequency plots draws every plot without errors", async () => {
        const html = renderPage(page)
        expect(html).toContain(`<tr class="pass"><td>rise time</td>`)
        expect(html).toContain(`<tr class="fail"><td>overshoot</td>`)
        expect(html).toContain(`<tr class="pass"><td>stuck encoder</td>`)
        expect(html).toContain(`<tr class="fail"><td>bus loss</td>`)
        expect(html).toContain("&lt;not a tag&gt;")
        const shot = process.env.REPORT_SCREENSHOT // a path, to look at the page
        const r = await renderInChromium(writePage("plots.html", html), { screenshotPath: shot })
        expect(r.errors).toEqual([])
        expect(r.drawnCharts).toBe(plots.length)
        expect(r.canvases.map(c => c.title)).toEqual(plots.map(p => p.title))
        for (const c of r.canvases) expect(c.drawnPixels, c.title).toBeGreaterThan(200)
    })

    test("the check fails on a plot with no data and on a script error", async () => {
        const empty: Plot = { ...stepResponse, title: "no data", series: [{ label: "currentA", values: timeS.map(() => null) }] }
        const html = renderPage({ title: "broken", sections: [{ heading: "Empty", plots: [empty] }] })
        const broken = html.replace("</body>", `<script>throw new Error("broken on purpose")</script></body>`)
        const r = await renderInChromium(writePage("broken.html", broken))
        expect(r.drawnCharts).toBe(1)
        expect(r.canvases).toEqual([{ title: "no data", drawnPixels: 0 }])
        expect(r.errors.some(e => e.includes("broken on purpose"))).toBe(true)
    })

    test("a traced topic with no samples gets no chart", () => {
        const idle = new TraceTopic(1, "joint/idle", ["currentA", "angleRad"])
        expect(topicCharts(idle)).toEqual([])
        idle.rows.push(0, 1.5, 0.1)
        expect(topicCharts(idle).map(c => c.title)).toEqual(["joint/idle [A]", "joint/idle [Rad]"])
    })

    test("the simulation report loads without errors and draws every signal", async () => {
        const out = path.join(dir, "servo-demo")
        await runScenario({ scenario: "servo-demo", durationS: 0.3, outDir: out })
        const r = await renderInChromium(path.join(out, "report.html"))
        expect(r.errors).toEqual([])
        expect(r.drawnCharts).toBeGreaterThan(0)
        expect(r.canvases).toHaveLength(r.drawnCharts)
        for (const c of r.canvases) expect(c.drawnPixels, c.title).toBeGreaterThan(0)
    })
})
