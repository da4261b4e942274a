// Metrics as a reader wants them: one row per figure, its name in words and its unit in a column of
// its own, both read from the field's name (the house habit: units in names, `riseTimeMs`). A figure
// that is a group of numbers (`touchdownLatencyMs: {p50, p99, max}`) gives a row per member; a list
// of rows (the faults' cases) is left to the scenario's own sections.

/** unit suffixes of field names, as shown; longest match wins */
const UNIT_SUFFIXES: [string, string][] = [
    ["NmsRad", "N·m·s/rad"],
    ["NmRad", "N·m/rad"],
    ["Periods", "periods"],
    ["Deg", "°"],
    ["Pct", "%"],
    ["Hz", "Hz"],
    ["Ms", "ms"],
    ["Us", "µs"],
    ["Nm", "N·m"],
    ["Mm", "mm"],
    ["Rad", "rad"],
    ["S", "s"],
    ["A", "A"],
    ["C", "°C"],
    ["N", "N"],
    ["V", "V"],
].sort((a, b) => b[0].length - a[0].length) as [string, string][]

/** "riseTimeMs" -> { name: "rise time", unit: "ms" }; a name without a unit suffix keeps its words */
export function splitUnit(field: string): { name: string; unit: string } {
    for (const [suffix, unit] of UNIT_SUFFIXES)
        if (field.endsWith(suffix) && field.length > suffix.length && /[a-z0-9]/.test(field[field.length - suffix.length - 1]))
            return { name: words(field.slice(0, -suffix.length)), unit }
    return { name: words(field), unit: "" }
}

/** camelCase to words: "selfReportedP99DeviationUs" -> "self reported p99 deviation us" */
export const words = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase()

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
