// Metrics as a reader wants them: one row per figure, its name in words and its unit in a column of
// its own, both read from the field's name (sim/units.ts). A figure
// that is a group of numbers (`touchdownLatencyMs: {p50, p99, max}`) gives a row per member; a list
// of rows (the faults' cases) is left to the scenario's own sections.
import { splitUnit, words } from "../units.ts"

export type MetricRow = {
    metric: string
    value: unknown
    unit: string
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** a row per scalar figure; groups of scalars flattened ("touchdown latency p50"); lists and `skip` left out */
export function metricRows(metrics: Record<string, unknown>, skip: readonly string[] = []): MetricRow[] {
    const rows: MetricRow[] = []
    for (const [key, v] of Object.entries(metrics)) {
        if (skip.includes(key) || Array.isArray(v)) continue
        const { name, unit } = splitUnit(key)
        if (isPlainObject(v)) {
            for (const [k, x] of Object.entries(v)) if (!isPlainObject(x) && !Array.isArray(x)) rows.push({ metric: `${name} ${words(k)}`, value: x ?? "none", unit })
        } else rows.push({ metric: name, value: v ?? "none", unit })
    }
    return rows
}
