// A sweep's report.html: what was swept, the runs that failed, each numeric figure's distribution
// over the runs (a histogram with its median and highest value marked, and a table of quantiles), and
// the worst runs, each with the `hfw sim` command that runs it again on its own.
import { renderPage, type PageSection, type Plot } from "../report/page.ts"
import { histogram } from "../report/series.ts"
import { splitUnit } from "../units.ts"
import type { SweepFile } from "./sweep-file.ts"
import { sweepCommand } from "./plan.ts"
import { columnsOf, type Column, type SweepRow } from "./rows.ts"

/** about this many bars a histogram */
const BINS = 20
/** the worst runs shown (the failed ones all are) */
const WORST_SHOWN = 20

/** a column whose values are all numbers (and at least one is) */
interface Figure {
    column: Column
    unit: string
    /** rows with a number in this column */
    rows: SweepRow[]
    values: number[]
    /** the values ascending */
    sorted: number[]
}

/** `values` sorted ascending, its nearest-rank quantile q in [0, 1] */
const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]

/** a bin width of 1, 2 or 5 times a power of ten giving about BINS bins over [min(0, lo), max(0, hi)] */
export function binWidthFor(values: readonly number[]): number {
    const span = Math.max(0, ...values) - Math.min(0, ...values)
    if (!(span > 0)) return 1
    const raw = span / BINS
    const decade = 10 ** Math.floor(Math.log10(raw))
    return [1, 2, 5, 10].map(m => m * decade).find(w => w >= raw)!
}

function figuresOf(file: SweepFile): Figure[] {
    const numeric = columnsOf(file.plan, file.rows).filter(c => c.kind === "metric" || c.kind === "figure")
    return numeric.flatMap(column => {
        const rows = file.rows.filter(r => column.get(r) !== null)
        if (!rows.length || rows.some(r => typeof column.get(r) !== "number")) return []
        const name = column.name.replace(/^metrics\./, "").split(".")[0] // a group's unit is in its name: touchdownLatencyMs.p99
        const values = rows.map(r => column.get(r) as number)
        return [{ column, unit: splitUnit(name).unit, rows, values, sorted: [...values].sort((a, b) => a - b) }]
    })
}

const highest = (f: Figure) => f.sorted[f.sorted.length - 1]
const varies = (f: Figure) => highest(f) > f.sorted[0]

/** the row holding the figure's highest value (the first such in run order) */
const highestRow = (f: Figure) => f.rows[f.values.indexOf(highest(f))]

function distributionPlot(f: Figure): Plot {
    const h = histogram(f.values, binWidthFor(f.values))
    return {
        title: f.column.name,
        xLabel: f.unit ? `${f.column.name} (${f.unit})` : f.column.name,
        yLabel: "runs",
        kind: "bars",
        x: h.x,
        series: [{ label: "runs", values: h.counts }],
        markers: [
            { x: quantile(f.sorted, 0.5), label: "median" },
            { x: highest(f), label: "highest" },
        ],
        width: 420,
        height: 200,
    }
}

function quantileRow(f: Figure) {
    return {
        figure: f.column.name,
        unit: f.unit,
        runs: f.values.length,
        min: f.sorted[0],
        p50: quantile(f.sorted, 0.5),
        p90: quantile(f.sorted, 0.9),
        max: highest(f),
        "lowest in": f.rows[f.values.indexOf(f.sorted[0])].command,
        "highest in": highestRow(f).command,
    }
}

const paramText = (r: SweepRow) =>
    Object.entries(r.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")

/**
 * The worst runs: every failed one, then those that hold the highest value of a figure that varies
 * (the scenarios' figures are errors, latencies, loads and counts of misses: higher is worse; the
 * real-time factor is the host's, not the run's, and is left out), the runs topping most figures first.
 */
function worstRows(file: SweepFile, figures: Figure[]) {
    const tops = new Map<SweepRow, string[]>()
    for (const f of figures) {
        if (f.column.name === "realTimeFactor" || !varies(f)) continue
        const r = highestRow(f)
        tops.set(r, [...(tops.get(r) ?? []), f.column.name])
    }
    const failed = file.rows.filter(r => r.error !== null)
    const highest = [...tops].filter(([r]) => r.error === null).sort((a, b) => b[1].length - a[1].length || a[0].run - b[0].run)
    return [
        ...failed.map(r => ({ run: r.run, seed: r.seed, params: paramText(r), why: r.error, command: r.command, pass: false })),
        ...highest.slice(0, WORST_SHOWN).map(([r, names]) => ({ run: r.run, seed: r.seed, params: paramText(r), why: `highest ${names.join(", ")}`, command: r.command })),
    ]
}

export function renderSweepReport(file: SweepFile): string {
    const { plan } = file
    const figures = figuresOf(file)
    const columns = columnsOf(plan, file.rows).filter(c => c.name !== "command")
    const sections: PageSection[] = [
        {
            heading: "Sweep",
            keyValues: {
                command: sweepCommand(plan),
                scenario: plan.scenario,
                seeds: `${plan.seeds[0]} to ${plan.seeds[1]}`,
                parameters: Object.entries(plan.params).map(([k, vs]) => `${k} = ${vs.join(", ")}`).join("; ") || "the scenario's defaults",
                "duration (s)": plan.durationS ?? "the scenario's own",
                runs: file.runs,
                "rows here": file.rows.length + (file.shard ? ` (shard ${file.shard.index}/${file.shard.count})` : ""),
                failed: file.failed,
            },
        },
        {
            heading: "Worst runs",
            lead: "Every run that failed, panicked or measured nothing, then the runs holding the highest value of a figure that varies over the sweep (higher is worse for the scenarios' errors, latencies, loads and misses). Each command runs it again on its own, with the same trace hash.",
            rows: worstRows(file, figures),
        },
        {
            heading: "Each figure over the runs",
            lead: "Nearest-rank quantiles over the runs that measured the figure; the commands run the runs with the lowest and the highest value (for a figure where higher is better, the lowest is the worst). A histogram for each figure that varies.",
            rows: figures.map(quantileRow),
            plots: figures.filter(varies).map(distributionPlot),
        },
        {
            heading: "Every run",
            collapsed: true,
            rows: file.rows.map(r => ({ ...Object.fromEntries(columns.map(c => [c.name, c.get(r) ?? ""])), ...(r.error === null ? {} : { pass: false }) })),
        },
    ]
    return renderPage({ title: `${plan.scenario} sweep: humanoid-firmware simulation report`, sections })
}
