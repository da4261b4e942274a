// What `hfw watch` needs of one kind of board (joint-watch.ts, foot-watch.ts): the page's plots and
// status line, the fields it records, and the board's samples and events as they arrive, timed on
// the watch's wall clock (ms, performance.now()).
import type { BoardKind } from "../deploy/board-kinds.ts"

export interface WatchPlot {
    title: string
    yLabel: string
    /** the sample fields drawn, each a series */
    fields: readonly string[]
    /** the series' legend labels, when not the field names */
    labels?: readonly string[]
    /** the one field is an enumeration: drawn as steps on these lanes (value 0, 1, ...) */
    lanes?: readonly string[]
    /** the board's events drawn on it as markers */
    events?: boolean
}

/** a text in the page's status line, by id */
export interface StatusItem {
    id: string
    label: string
}

export interface WatchSample {
    tMs: number
    /** one number per recorded field, in order (NaN: not a number, e.g. an invalid centre of pressure) */
    values: number[]
    /** the status line's texts by id */
    status: Record<string, string>
}

export interface WatchEvent {
    tMs: number
    /** its marker's label on the plots */
    label: string
    /** one number per recorded event field, in order */
    values: number[]
}

export interface BoardWatch {
    kind: BoardKind
    /** the joint or foot the board is provisioned as */
    id: string
    /** the recorded samples' channel ("left_knee/telemetry") and numeric fields */
    topic: string
    fields: readonly string[]
    /** the recorded events' channel and numeric fields, for a board that sends events */
    events?: { topic: string; fields: readonly string[] }
    plots: readonly WatchPlot[]
    status: readonly StatusItem[]
    /** a foot's sole seen from above: the cells' positions and rating, their forces and the centre of pressure drawn on it */
    sole?: { cellXMm: readonly number[]; cellYMm: readonly number[]; ratedN: number }
    /** called with each sample and each event, once set */
    onSample?: (s: WatchSample) => void
    onEvent?: (e: WatchEvent) => void
    close(): Promise<void>
}
