// robot-walk's report of a long walk, minute by minute: did any minute track worse than the walk's
// target, miss a period after the boot, or hold more heap than the first (design/targets.md: "one
// hour of virtual time: no heap growth, no missed loop periods beyond the first second")?
import type { SimResult } from "../result.ts"
import type { PageSection, Plot } from "./page.ts"
import { BOARD_TARGETS, WALK_TARGETS, atMost, checkRows, shown } from "./targets.ts"

/** the metrics the section shows */
export const MINUTE_METRICS = ["worstMinuteTrackingRmsDeg", "worstMinuteTrackingAt", "deadlineMissesAfterFirstSecond", "heapGrowthAfterFirstMinuteBytes"]

/** the section, for a run of more than a minute (none for a shorter one) */
export function minutesSection(result: SimResult): PageSection[] {
    const m = result.metrics as Record<string, any>
    const tracking = m.trackingByMinute as { rmsDeg: (number | null)[]; worstJoint: (string | null)[] } | undefined
    if (!tracking || tracking.rmsDeg.length < 2) return []
    const minutes = tracking.rmsDeg.map((_, i) => i + 1)
    const trackingPlot: Plot = {
        title: "worst joint's tracking RMS in each minute [°]",
        xLabel: "minute",
        yLabel: "°",
        kind: "line",
        x: minutes,
        series: [
            { label: "worst joint °", values: tracking.rmsDeg },
            { label: "target °", values: minutes.map(() => WALK_TARGETS.trackingRmsDeg), color: "#999", width: 1 },
        ],
    }
    const heapPlot: Plot = {
        title: "heap high-water in each minute, per board [B]",
        xLabel: "minute",
        yLabel: "B",
        kind: "line",
        x: minutes,
        series: result.cpu.map(c => ({ label: c.board, values: minutes.map((_, i) => c.heapHighWaterBytesByMinute[i] ?? null) })),
    }
    const checks = [
        atMost("worst joint's tracking RMS, worst minute", m.worstMinuteTrackingRmsDeg, "°", WALK_TARGETS.trackingRmsDeg),
        shown(`worst minute: ${m.worstMinuteTrackingAt?.minute}, ${m.worstMinuteTrackingAt?.joint}`, m.worstMinuteTrackingRmsDeg, "°"),
        atMost("deadline misses after the first second, all boards", m.deadlineMissesAfterFirstSecond, "", BOARD_TARGETS.deadlineMisses),
        shown("heap high-water after the first minute, above the first minute's (most of any board)", m.heapGrowthAfterFirstMinuteBytes, "B"),
    ]
    return [
        {
            heading: "Minute by minute",
            lead: `The walk's ${minutes.length} minutes of virtual time (the first from 0 to 60 s, the boot and the arming in it): the worst joint's tracking RMS in each, and each board's heap in use right after its garbage collections, the most in each minute.`,
            rows: checkRows(checks),
            plots: [trackingPlot, heapPlot],
        },
    ]
}
