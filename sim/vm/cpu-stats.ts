// What one board's chip did over a run, as the target timing model measured it: its wakes, how long
// each kept the CPU busy, how late its timers ran, how often its control period was missed, and its
// heap. The `cpu` entry of `hfw sim --json` (design/targets.md) is `summary()`.
import { addToWindows, round } from "../numbers.ts"

/** Percentiles of a stream of non-negative values in constant memory: 1 µs bins up to 1 ms, 1 % above. */
export class Histogram {
    private readonly linear = 1000
    private readonly bins: number[] = []
    count = 0
    max = 0

    add(x: number) {
        const v = Math.max(0, x)
        const i = v < this.linear ? Math.floor(v) : this.linear + Math.floor(Math.log(v / this.linear) / Math.log(1.01))
        while (this.bins.length <= i) this.bins.push(0)
        this.bins[i]++
        this.count++
        if (v > this.max) this.max = v
    }

    /** the value below which `p` (0..1) of the values fall (a bin's lower edge); 0 when empty */
    percentile(p: number): number {
        if (!this.count) return 0
        const rank = Math.ceil(p * this.count)
        let seen = 0
        for (let i = 0; i < this.bins.length; i++) {
            seen += this.bins[i]
            if (seen >= rank) return i < this.linear ? i : this.linear * Math.pow(1.01, i - this.linear)
        }
        return this.max
    }
}

export interface CpuSummary {
    board: string
    chip: string
    clockMHz: number
    /** busy time over the run, percent of the CPU */
    loadPct: number
    /** the 99th percentile of the load in 100 ms windows, percent */
    loadPctP99: number
    busyUsP50: number
    busyUsP99: number
    busyUsMax: number
    wakes: number
    /** how late the program's timers ran, 99th percentile */
    timerLateUsP99: number
    timerLateUsMax: number
    /** DeviceScript opcodes executed */
    opcodes: number
    /** the most heap in use right after a garbage collection (the live data, plus what that wake allocated after it) */
    heapHighWaterBytes: number
    /** the same in each minute of the run (virtual time; the last may be partial); null: no collection in that minute */
    heapHighWaterBytesByMinute: (number | null)[]
    heapBytes: number
    garbageCollections: number
    /** the firmware's declared control period, when it has one */
    periodUs?: number
    /** the rate the firmware's loop ran at, as its hardware saw it (sample requests per second) */
    loopHz?: number
    /** periods of it in which the firmware's loop did not run */
    deadlineMisses?: number
    /** those of them after the first second (the boot; design/targets.md: none after it in an hour) */
    deadlineMissesAfterFirstSecond?: number
}

/** the boot: deadline misses in it are counted apart (design/targets.md, "one hour of virtual time") */
export const BOOT_US = 1_000_000
/** the heap's high-water is kept per minute of virtual time, to show it flat (or creeping) over a long run */
export const MINUTE_US = 60_000_000
/** the minute (from 0) an instant ends: minute k is (60 k, 60 (k + 1)] s, so a run of five minutes has five */
export const minuteOf = (tUs: number) => Math.max(0, Math.ceil(tUs / MINUTE_US) - 1)

/** width of the windows the load is measured in */
export const LOAD_WINDOW_US = 100_000

export class CpuStats {
    wakes = 0
    opcodes = 0
    collections = 0
    heapHighWaterBytes = 0
    readonly heapHighWaterBytesByMinute: (number | null)[] = []
    heapBytes = 0
    readonly busy = new Histogram()
    readonly timerLate = new Histogram()
    /** busy time in each load window */
    readonly windowBusyUs: number[] = []
    periodUs: number | undefined
    deadlineMisses = 0
    deadlineMissesAfterFirstSecond = 0
    periods = 0
    private firstPeriodStartUs: number | undefined
    private lastPeriodStartUs: number | undefined

    constructor(
        readonly board: string,
        readonly chip: string,
        readonly clockMHz: number
    ) {}

    wake(startUs: number, busyUs: number, opcodes: number) {
        this.wakes++
        this.opcodes += opcodes
        this.busy.add(busyUs)
        addToWindows(this.windowBusyUs, LOAD_WINDOW_US, startUs, busyUs)
    }

    /** The heap in use right after a garbage collection at `tUs`. */
    heapAfterCollection(tUs: number, usedBytes: number, totalBytes: number) {
        this.heapHighWaterBytes = Math.max(this.heapHighWaterBytes, usedBytes)
        this.heapBytes = totalBytes
        const minute = minuteOf(tUs)
        while (this.heapHighWaterBytesByMinute.length <= minute) this.heapHighWaterBytesByMinute.push(null)
        this.heapHighWaterBytesByMinute[minute] = Math.max(this.heapHighWaterBytesByMinute[minute] ?? 0, usedBytes)
    }

    /**
     * How far the heap's high-water in any minute after the first went above the first minute's
     * (negative: every later minute stayed below it); undefined before a second minute with a collection.
     */
    heapGrowthAfterFirstMinuteBytes(): number | undefined {
        const [first, ...later] = this.heapHighWaterBytesByMinute
        const laterMax = Math.max(...later.filter(x => x !== null))
        return first === null || first === undefined || !Number.isFinite(laterMax) ? undefined : laterMax - first
    }

    /** The board lost power (a restart): the periods it missed while off are not deadline misses. */
    powerLost() {
        this.lastPeriodStartUs = undefined
    }

    /** The firmware declares its control period (from its settings). */
    declarePeriod(periodUs: number) {
        this.periodUs = periodUs
    }

    /** The firmware's loop started a period at `tUs` (its hardware saw the sample request). */
    periodStarted(tUs: number) {
        if (this.periodUs && this.lastPeriodStartUs !== undefined) {
            const periods = Math.round((tUs - this.lastPeriodStartUs) / this.periodUs)
            if (periods > 1) this.deadlineMisses += periods - 1
            for (let k = 1; k < periods; k++) if (this.lastPeriodStartUs + k * this.periodUs > BOOT_US) this.deadlineMissesAfterFirstSecond++
        }
        this.periods++
        this.firstPeriodStartUs ??= tUs
        this.lastPeriodStartUs = tUs
    }

    /** periods run per second from the first to the end of the run (a loop that stopped counts as stopped) */
    private loopHz(elapsedUs: number): number {
        const spanUs = elapsedUs - (this.firstPeriodStartUs ?? elapsedUs)
        return spanUs > 0 ? round(((this.periods - 1) * 1e6) / spanUs, 1) : 0
    }

    /** the 99th percentile of the load in the whole 100 ms windows from `fromUs` to `elapsedUs`, percent */
    loadPctP99Between(fromUs: number, elapsedUs: number): number {
        return this.windowsP99Pct(Math.ceil(fromUs / LOAD_WINDOW_US), Math.floor(elapsedUs / LOAD_WINDOW_US))
    }

    /** the 99th percentile of the load in windows `first` to `end` (exclusive), percent */
    private windowsP99Pct(first: number, end: number): number {
        const load = new Histogram()
        for (let w = first; w < end; w++) load.add((1000 * (this.windowBusyUs[w] ?? 0)) / LOAD_WINDOW_US) // permille
        return round(load.percentile(0.99) / 10, 1)
    }

    summary(elapsedUs: number): CpuSummary {
        // a run that goes on past the end of the simulation is counted up to its end
        const fullWindows = Math.floor(elapsedUs / LOAD_WINDOW_US)
        let busyInRunUs = 0
        this.windowBusyUs.forEach((b, w) => (busyInRunUs += w < fullWindows ? b : Math.max(0, Math.min(b, elapsedUs - w * LOAD_WINDOW_US))))
        return {
            board: this.board,
            chip: this.chip,
            clockMHz: this.clockMHz,
            loadPct: round(elapsedUs > 0 ? (100 * busyInRunUs) / elapsedUs : 0, 1),
            loadPctP99: this.windowsP99Pct(0, Math.max(1, fullWindows)),
            busyUsP50: round(this.busy.percentile(0.5), 0),
            busyUsP99: round(this.busy.percentile(0.99), 0),
            busyUsMax: round(this.busy.max, 0),
            wakes: this.wakes,
            timerLateUsP99: round(this.timerLate.percentile(0.99), 0),
            timerLateUsMax: round(this.timerLate.max, 0),
            opcodes: this.opcodes,
            heapHighWaterBytes: this.heapHighWaterBytes,
            heapHighWaterBytesByMinute: [...this.heapHighWaterBytesByMinute],
            heapBytes: this.heapBytes,
            garbageCollections: this.collections,
            ...(this.periodUs ? { periodUs: this.periodUs, loopHz: this.loopHz(elapsedUs), deadlineMisses: this.deadlineMisses, deadlineMissesAfterFirstSecond: this.deadlineMissesAfterFirstSecond } : {}),
        }
    }
}
