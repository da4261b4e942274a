// Turning recorded data into plot series: a window of a trace topic, a histogram, timeline lanes.
import type { TraceTopic } from "../trace.ts"
import type { PlotSeries } from "./page.ts"

/** at most this many points a series (every n-th sample), enough for a 480 px wide plot */
export const MAX_POINTS = 1500

/**
 * The samples of `fields` of `topic` from `fromUs` to `toUs` (every n-th to keep MAX_POINTS), each
 * value passed through `scale`; x in seconds.
 */
export function topicWindow(topic: TraceTopic, fields: readonly string[], fromUs = -Infinity, toUs = Infinity, scale = (v: number) => v) {
    const stride = topic.stride
    const ks = fields.map(f => {
        const k = topic.fields.indexOf(f)
        if (k < 0) throw new Error(`trace ${topic.name} has no field '${f}' (it has ${topic.fields.join(", ")})`)
        return k
    })
    // two passes over the rows (they may be on disk): how many are in the window, then every n-th of them
    let inWindow = 0
    for (const block of topic.blocks())
        for (let i = 0; i < block.length; i += stride) if (block[i] >= fromUs && block[i] <= toUs) inWindow++
    const every = Math.max(1, Math.ceil(inWindow / MAX_POINTS))
    const x: number[] = []
    const values: number[][] = ks.map(() => [])
    let j = 0
    for (const block of topic.blocks())
        for (let i = 0; i < block.length; i += stride) {
            if (!(block[i] >= fromUs && block[i] <= toUs) || j++ % every !== 0) continue
            x.push(block[i] / 1e6)
            ks.forEach((k, n) => values[n].push(scale(block[i + 1 + k])))
        }
    return { x, values }
}

/** counts of `values` in bins of `binWidth` on multiples of it, from the lowest value's bin (x: each bin's centre) */
export function histogram(values: readonly number[], binWidth: number): { x: number[]; counts: number[] } {
    const first = Math.floor(Math.min(0, ...values) / binWidth)
    const bins = Math.max(1, Math.floor(Math.max(0, ...values) / binWidth) - first + 1)
    const counts = new Array<number>(bins).fill(0)
    for (const v of values) counts[Math.floor(v / binWidth) - first]++
    return { x: counts.map((_, i) => (first + i + 0.5) * binWidth), counts }
}

/** the gap that breaks a lane after an interval (uPlot joins series on their x values: one x, one value) */
const GAP_S = 1e-6

/**
 * A timeline lane: a thick line at y = `lane` over each interval (seconds), broken between them.
 * Intervals are [startS, endS] in time order.
 */
export function laneSeries(label: string, lane: number, intervals: readonly [number, number][], color?: string): PlotSeries {
    const x: number[] = []
    const values: (number | null)[] = []
    for (const [a, b] of intervals) {
        x.push(a, b, b + GAP_S)
        values.push(lane, lane, null)
    }
    return { label, x, values, width: 8, color }
}

/** markers at each x on a lane (events on a timeline) */
export const laneMarkers = (label: string, lane: number, xs: readonly number[], color?: string): PlotSeries => ({
    label,
    kind: "points",
    x: [...xs],
    values: xs.map(() => lane),
    size: 9,
    color,
})

/** [start, end] intervals from a list of [time, on] samples: where `on` holds */
export function intervalsOf(samples: readonly [number, boolean][]): [number, number][] {
    const out: [number, number][] = []
    let start: number | undefined
    for (const [t, on] of samples) {
        if (on && start === undefined) start = t
        if (!on && start !== undefined) {
            out.push([start, t])
            start = undefined
        }
    }
    if (start !== undefined && samples.length) out.push([start, samples[samples.length - 1][0]])
    return out
}
