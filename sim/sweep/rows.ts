// One row per run of a sweep: the combination it ran, the scenario's scalar metrics (groups such as
// `touchdownLatencyMs: {p50, p99, max}` flattened to `touchdownLatencyMs.p99`), the contract's
// figures, the trace hash, and `error` when the run failed, panicked or measured nothing. The same
// rows make sweep.json, sweep.csv and the report, whichever machines ran them.
import type { SimResult } from "../result.ts"
import { simCommand, type Combination, type SweepPlan } from "./plan.ts"

export type Scalar = number | string | boolean | null

export interface SweepRow {
    run: number
    seed: number
    /** the swept parameters' values (numbers where they are numbers) */
    params: Record<string, Scalar>
    metrics: Record<string, Scalar>
    /** the busiest timed bus segment's load over the run */
    busLoadPct: number | null
    /** the highest of the boards' 99th-percentile CPU loads (100 ms windows; 0 with target=ideal) */
    cpuLoadP99Pct: number | null
    /** all boards' missed loop periods */
    deadlineMisses: number | null
    faults: number | null
    panics: number | null
    realTimeFactor: number | null
    traceHash: string | null
    /** why the run failed (threw, panicked or measured nothing); null when it did not */
    error: string | null
    /** the `hfw sim` command that runs it again on its own */
    command: string
}

const isScalar = (v: unknown): v is Scalar => v === null || ["number", "string", "boolean"].includes(typeof v)

/** scalar metrics, groups of scalars flattened with a dot; lists and the scenario's `error` left out */
export function flattenMetrics(metrics: Record<string, unknown>): Record<string, Scalar> {
    const out: Record<string, Scalar> = {}
    for (const [key, v] of Object.entries(metrics)) {
        if (key === "error") continue
        if (isScalar(v)) out[key] = v
        else if (typeof v === "object" && v !== null && !Array.isArray(v))
            for (const [k, x] of Object.entries(v)) if (isScalar(x)) out[`${key}.${k}`] = x
    }
    return out
}

const valueOf = (v: string): Scalar => (v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v)

const sweptParams = (c: Combination) => Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, valueOf(v)]))

/** why a finished run counts as failed, or null */
function failureOf(r: SimResult): string | null {
    if (r.panics > 0) {
        const p = r.panicDetails[0]
        return `panicked (${r.panics}): ${p.board} code ${p.code} at ${(p.tUs / 1e6).toFixed(3)} s: ${p.message}`
    }
    if (typeof r.metrics.error === "string") return `measured nothing: ${r.metrics.error}`
    return r.failedChecks ? `failed its checks: ${r.failedChecks}` : null
}

export function rowOf(plan: SweepPlan, c: Combination, r: SimResult): SweepRow {
    return {
        run: c.run,
        seed: c.seed,
        params: sweptParams(c),
        metrics: flattenMetrics(r.metrics),
        busLoadPct: r.busLoadPct,
        cpuLoadP99Pct: Math.max(0, ...r.cpu.map(b => b.loadPctP99)),
        deadlineMisses: r.cpu.reduce((n, b) => n + (b.deadlineMisses ?? 0), 0),
        faults: r.faults.length,
        panics: r.panics,
        realTimeFactor: r.realTimeFactor,
        traceHash: r.traceHash,
        error: failureOf(r),
        command: simCommand(plan, c),
    }
}

/** the row of a run that threw (or whose worker died) before it had a result */
export function failedRow(plan: SweepPlan, c: Combination, error: string): SweepRow {
    return {
        run: c.run,
        seed: c.seed,
        params: sweptParams(c),
        metrics: {},
        busLoadPct: null,
        cpuLoadP99Pct: null,
        deadlineMisses: null,
        faults: null,
        panics: null,
        realTimeFactor: null,
        traceHash: null,
        error,
        command: simCommand(plan, c),
    }
}

/** the run-level figures every row has, in their column order */
export const ROW_FIGURES = ["busLoadPct", "cpuLoadP99Pct", "deadlineMisses", "faults", "panics", "realTimeFactor"] as const

/** one column of the table: its header and how to read it from a row */
export interface Column {
    name: string
    kind: "param" | "metric" | "figure" | "other"
    get(row: SweepRow): Scalar
}

/**
 * The table's columns: run, seed, the swept parameters, every metric any row has (in the order they
 * first appear), the run-level figures, traceHash, error, command. A metric named like another column
 * is headed `metrics.NAME`.
 */
export function columnsOf(plan: SweepPlan, rows: readonly SweepRow[]): Column[] {
    const fixed = (name: string, get: (r: SweepRow) => Scalar): Column => ({ name, kind: "other", get })
    const params: Column[] = Object.keys(plan.params).map(k => ({ name: k, kind: "param", get: r => r.params[k] ?? null }))
    const figures: Column[] = ROW_FIGURES.map(k => ({ name: k, kind: "figure", get: r => r[k] }))
    const others = [fixed("traceHash", r => r.traceHash), fixed("error", r => r.error), fixed("command", r => r.command)]
    const taken = new Set(["run", "seed", ...params.map(c => c.name), ...figures.map(c => c.name), ...others.map(c => c.name)])
    const metricNames = [...new Set(rows.flatMap(r => Object.keys(r.metrics)))]
    const metrics: Column[] = metricNames.map(k => ({ name: taken.has(k) ? `metrics.${k}` : k, kind: "metric", get: r => r.metrics[k] ?? null }))
    return [fixed("run", r => r.run), fixed("seed", r => r.seed), ...params, ...metrics, ...figures, ...others]
}

const csvCell = (v: Scalar) => {
    const s = v === null ? "" : String(v)
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** sweep.csv: a header line and one line per row */
export function toCsv(columns: readonly Column[], rows: readonly SweepRow[]): string {
    const lines = [columns.map(c => csvCell(c.name)).join(","), ...rows.map(r => columns.map(c => csvCell(c.get(r))).join(","))]
    return lines.join("\n") + "\n"
}
