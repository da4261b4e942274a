// A foot's contact metrics (foot-gait's, and the walk's): the board's touchdown and liftoff events,
// as the body controller receives them on the bus, matched against the plant's true events; the
// reported force and centre of pressure against the plant's truth at the instant of the sample they
// come from.
import type { Stance } from "../plants/gait.ts"
import { round } from "../numbers.ts"

export interface BoardEvent {
    kind: "touchdown" | "liftoff"
    /** virtual time the event reached the body bus's host */
    atUs: number
    /** the board's timestamp of the event */
    boardUs: number
}

export interface ReportError {
    /** reported total force minus the truth */
    forceErrorN: number
    /** centre of pressure error, when the board reported it valid and the true force is above copMinForceN */
    copErrorMm?: number
    /** with copErrorMm: the reported centre of pressure and the truth, mm [x, y, trueX, trueY] */
    copMm?: [number, number, number, number]
}

/** a board event this long before the true one cannot be its detection */
const MATCH_BEFORE_US = 20_000
/** nor one this long after */
const MATCH_AFTER_US = 100_000

export interface LatencyStats {
    p50: number | null
    p99: number | null
    max: number | null
}

/** Matches each true event to the first unmatched board event of its kind within the window. */
export function matchEvents(
    trueUs: number[],
    board: number[]
): { latenciesUs: number[]; matchedTrueUs: number[]; unmatchedTrue: number; unmatchedBoard: number } {
    const used = new Array<boolean>(board.length).fill(false)
    const latenciesUs: number[] = []
    /** the true event of each latency */
    const matchedTrueUs: number[] = []
    let unmatchedTrue = 0
    let j = 0
    for (const t of trueUs) {
        while (j < board.length && board[j] < t - MATCH_BEFORE_US) j++
        let k = j
        while (k < board.length && used[k]) k++
        if (k < board.length && board[k] <= t + MATCH_AFTER_US) {
            used[k] = true
            latenciesUs.push(board[k] - t)
            matchedTrueUs.push(t)
        } else unmatchedTrue++
    }
    return { latenciesUs, matchedTrueUs, unmatchedTrue, unmatchedBoard: used.filter(u => !u).length }
}

/** nearest-rank percentiles, in ms */
export function latencyStats(latenciesUs: number[]): LatencyStats {
    if (!latenciesUs.length) return { p50: null, p99: null, max: null }
    const s = [...latenciesUs].sort((a, b) => a - b)
    const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
    return { p50: ms(rank(50)), p99: ms(rank(99)), max: ms(s[s.length - 1]) }
}

export function footMetrics(stances: Stance[], events: BoardEvent[], reports: ReportError[], bodyWeightN: number) {
    const times = (k: BoardEvent["kind"]) => events.filter(e => e.kind === k).map(e => e.atUs)
    const td = matchEvents(
        stances.map(s => s.touchdownUs),
        times("touchdown")
    )
    const lo = matchEvents(
        stances.map(s => s.liftoffUs),
        times("liftoff")
    )
    const cop = reports.filter(r => r.copErrorMm !== undefined).map(r => r.copErrorMm!)
    return {
        steps: stances.length,
        touchdownLatencyMs: latencyStats(td.latenciesUs),
        liftoffLatencyMs: latencyStats(lo.latenciesUs),
        falseContacts: td.unmatchedBoard,
        missedContacts: td.unmatchedTrue,
        copRmsErrorMm: cop.length ? round(rms(cop), 2) : null,
        grfRmsErrorPct: reports.length ? round((100 * rms(reports.map(r => r.forceErrorN))) / bodyWeightN, 2) : null,
    }
}

const rms = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length)
const ms = (us: number) => round(us / 1000, 2)
