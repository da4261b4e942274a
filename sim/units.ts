// The unit of a figure from its name (the house habit: units in names, `riseTimeMs`, `angleRad`),
// as a reader sees it: the name in words and the unit's symbol. Used by the reports' tables and the
// trace's schemas.

/** unit suffixes of field names, as shown; longest match wins */
const UNIT_SUFFIXES: [string, string][] = [
    ["NmsRad", "N·m·s/rad"],
    ["TravelPerS", "travel/s"],
    ["Travel", "travel"],
    ["Counts", "counts"],
    ["Bool", "0 or 1"],
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
