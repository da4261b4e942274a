// The faults scenario's report: one row per fault case, its reaction time as a bar against its
// limit, and every case's bridge on one time axis with the injection, the removal of the cause and
// the clearing marked.
import type { ScenarioReport } from "./html.ts"
import type { Marker, Plot } from "./page.ts"
import { intervalsOf, laneSeries } from "./series.ts"

export interface FaultCaseReport {
    fault: string
    expect: string
    safeState: string
    /** the reaction the case passes within, ms (null: the case expects none, its board is to ignore what it is given) */
    limitMs: number | null
    /** the bridge command at each drive: [time µs, on] */
    drives: [number, boolean][]
}

export interface FaultsReportData {
    cases: FaultCaseReport[]
    /** the rows of the run's metrics, in the cases' order */
    rows: { fault: string; detected: boolean; reported: string[]; reactionMs: number | null; safeState: string | null; staysSafe: boolean; recovered: boolean; passed: boolean }[]
    markers: Marker[]
    endUs: number
}

export function faultsReport(d: FaultsReportData): ScenarioReport {
    const rows = d.rows.map((r, i) => {
        const c = d.cases[i]
        return {
            fault: r.fault,
            "expected code": c.expect,
            reported: r.reported.join(", "),
            reaction: c.limitMs === null ? "none expected" : { value: r.reactionMs, limit: Number(c.limitMs.toFixed(3)), unit: "ms" },
            "safe state (expected)": `${r.safeState ?? "none"} (${c.safeState})`,
            "stays safe": r.staysSafe,
            recovered: r.recovered,
            passed: r.passed,
        }
    })
    const lanes = d.cases.map(c => c.fault)
    const timeline: Plot = {
        title: "bridge on, per case",
        xLabel: "time (s)",
        yLabel: "",
        yLanes: lanes,
        kind: "line",
        x: [],
        xRange: [0, d.endUs / 1e6],
        series: d.cases.map((c, i) =>
            laneSeries(
                c.fault,
                i,
                intervalsOf(c.drives).map(([a, b]) => [a / 1e6, b / 1e6])
            )
        ),
        markers: d.markers,
        width: 900,
        height: 60 + 28 * lanes.length,
    }
    return {
        sections: [
            {
                heading: "Does every fault put the joint in its safe state in time, and does it come back?",
                lead: "Each case runs on its own joint board. Reaction runs from the fault becoming visible in the board's input to its safe state; the black tick is the case's limit (its bound in control periods). A red bar is over the limit or never reached.",
                rows,
            },
            { heading: "The cases on one time axis", lead: "A thick line where the board's bridge is driven; the grey lines mark the injection, the removal of the cause and the clearing.", plots: [timeline] },
        ],
        shownMetrics: ["rows"],
    }
}
