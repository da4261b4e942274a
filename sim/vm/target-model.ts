// The target timing model: how the stock ESP32 DeviceScript runtime runs a board's bytecode, in
// virtual time. It answers the two questions the simulator asks of a board (BoardVm): when may its
// VM run next, and how long did a run take on the chip. Plants, buses and scenarios keep asking the
// clock.
//
// What the runtime does (devicescript-esp32 main/main.c, jacdac-c, microsoft/devicescript; read
// 2026-11-27 at devicescript-esp32 f6aec45):
// - The main loop runs on a periodic 10 ms esp_timer ("10ms", tim_max_sleep), fixed phase, and when
//   JD_WAKE_MAIN() is called. `jd_set_max_sleep`, where the VM puts its next fiber's wake time, is
//   not read by the ESP32 port: a fiber sleeping 1 ms runs at the next tick or event.
// - JD_WAKE_MAIN: every received frame (a DeviceScript device handles all packets:
//   JD_HANDLE_ALL_PACKETS), every frame the board sends (it is looped back into its own receive
//   queue, so a run that sent something runs again at once), and async completions such as an SPI
//   transfer's callback (devs_fiber_await_done).
// - Wakes while the loop runs coalesce into one more run after it (loop_pending).
// - One run processes the received frames, runs every fiber that is due (re-reading the clock
//   before each), and flushes what was sent (jd_process_everything); the WebAssembly build's
//   jd_em_process is the same body, which is what the simulator counts.
// - The program's clock is whole milliseconds (ds.millis(), now_ms_long).
//
// target=ideal is the simulator as it was: a run takes no time and the VM wakes exactly when it
// asks to. It is for control-law work only.
import { CHIPS, type Chip, type ChipId } from "./chips.ts"

export const TARGETS = ["esp32", "ideal"] as const
export type TargetName = (typeof TARGETS)[number]

/** the stock ESP32 runtime's main-loop tick (tim_max_sleep) */
export const STOCK_TICK_US = 10_000

export interface TargetOptions {
    target: TargetName
    /** the runtime's main-loop tick; STOCK_TICK_US for the stock build */
    tickUs: number
    /** every CPU cost is multiplied by this (sensitivity runs) */
    cpuScale: number
    /** the CPU clock, when not the chip's default (each chip at most its maximum) */
    clockMHz?: number
    /**
     * false: the runtime's allocator built without its fill of free blocks (not the stock runtime:
     * counting.ts, withoutFreeFill); the stock runtime fills them (undefined or true)
     */
    freeFill?: boolean
}

export const DEFAULT_TARGET: TargetOptions = { target: "esp32", tickUs: STOCK_TICK_US, cpuScale: 1 }
export const IDEAL_TARGET: TargetOptions = { ...DEFAULT_TARGET, target: "ideal" }

/** An SPI transfer: its length and its clock. */
export interface SpiTransfer {
    bytes: number
    clockHz: number
}

/** What one run of the main loop did, as the cost model needs it. */
export interface RunWork {
    /** WebAssembly instructions counted (counting.ts) */
    instructions: number
    /** soft-float double operations counted */
    f64Ops: number
    framesReceived: number
    framesSent: number
    spiTransfers: number
}

export class TargetModel {
    readonly chip: Chip
    readonly clockMHz: number

    constructor(
        chipId: ChipId,
        readonly opts: TargetOptions
    ) {
        this.chip = CHIPS[chipId]
        // a clock asked of every board: each chip as close to it as it can (the ESP32-C3 tops out at 160)
        this.clockMHz = Math.min(opts.clockMHz ?? this.chip.clockMHz, this.chip.maxClockMHz)
    }

    get ideal() {
        return this.opts.target === "ideal"
    }

    /** The time, on the chip, of one run of the main loop that did `w`. */
    runUs(w: RunWork): number {
        if (this.ideal) return 0
        const c = this.chip
        const cycles =
            c.wakeCycles +
            w.instructions * c.cyclesPerInstruction +
            w.f64Ops * c.cyclesPerF64Op +
            w.framesReceived * c.frameRxCycles +
            w.framesSent * c.frameTxCycles +
            w.spiTransfers * c.spiCpuCycles
        return Math.ceil((cycles * this.opts.cpuScale) / this.clockMHz)
    }

    /** The first main-loop tick after `afterUs` for a board booted at `bootUs`. */
    nextTickUs(afterUs: number, bootUs: number): number {
        const tick = this.opts.tickUs
        return bootUs + (Math.floor((afterUs - bootUs) / tick) + 1) * tick
    }

    /** An SPI transfer queued at `startUs`: when its bits move, and when its callback runs. */
    spiTransfer(startUs: number, t: SpiTransfer): { firstBitUs: number; doneUs: number } {
        if (this.ideal) return { firstBitUs: startUs, doneUs: startUs }
        const firstBitUs = startUs + this.chip.spiLatencyUs
        return { firstBitUs, doneUs: firstBitUs + Math.ceil((t.bytes * 8 * 1e6) / t.clockHz) + this.chip.spiLatencyUs }
    }

    /** The board's clock as the program reads it (whole milliseconds), in µs, at simulation time `tUs`. */
    boardClockUs(tUs: number): number {
        return this.ideal ? tUs : Math.floor(tUs / 1000) * 1000
    }
}
