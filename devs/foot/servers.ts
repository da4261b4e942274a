// The foot board's Jacdac servers: its contact service (services/footcontact.md) and its fault
// state (services/boardfault.md). Thin: registers and commands map onto the detector and the program.
import * as ds from "@devicescript/core"
import { Server } from "@devicescript/server"
import type { ContactDetector } from "../lib/contact"
import { isFiniteNumber } from "../lib/math"
import { MAX_SAMPLE_PERIOD_MS } from "./config"
import { FaultLatch } from "../lib/fault-latch"

export interface FootControls {
    detector: ContactDetector
    copMinForceN: number
    samplePeriodMs: number
    tare(): void
    setSamplePeriod(ms: number): void
}

type ContactReading = [number, number, number, number, number, number, number, number, ds.FootContactState, ds.FootContactFlags, number]

export class FootContactServer extends Server implements ds.FootContactServerSpec {
    last: ContactReading = [0, 0, NaN, NaN, 0, 0, 0, 0, ds.FootContactState.Swing, 0, 0]

    constructor(
        private c: FootControls,
        private id: string
    ) {
        super(ds.FootContact.spec)
    }
    footId() {
        return this.id
    }
    reading() {
        return this.last
    }
    touchdownThreshold() {
        return this.c.detector.touchdownThresholdN
    }
    // a threshold that breaks the hysteresis (liftoff below touchdown) is refused
    set_touchdownThreshold(v: number) {
        if (isFiniteNumber(v) && v > this.c.detector.liftoffThresholdN) this.c.detector.touchdownThresholdN = v
    }
    liftoffThreshold() {
        return this.c.detector.liftoffThresholdN
    }
    set_liftoffThreshold(v: number) {
        if (isFiniteNumber(v) && v > 0 && v < this.c.detector.touchdownThresholdN) this.c.detector.liftoffThresholdN = v
    }
    debounceSamples() {
        return this.c.detector.debounceSamples
    }
    set_debounceSamples(v: number) {
        if (v >= 1) this.c.detector.debounceSamples = v
    }
    copMinForce() {
        return this.c.copMinForceN
    }
    set_copMinForce(v: number) {
        if (isFiniteNumber(v) && v > 0) this.c.copMinForceN = v
    }
    samplePeriod() {
        return this.c.samplePeriodMs
    }
    set_samplePeriod(v: number) {
        if (v >= 1 && v <= MAX_SAMPLE_PERIOD_MS) this.c.setSamplePeriod(v)
    }
    tare() {
        this.c.tare()
    }

    async sendReading(r: ContactReading) {
        this.last = r
        await this._send(ds.FootContact.spec.lookup("reading").encode(r))
    }
}

export class BoardFaultServer extends Server implements ds.BoardFaultServerSpec {
    /** the board's one fault latch (the joint's too: devs/lib/fault-latch.ts) */
    readonly latch = new FaultLatch()

    constructor(private onClear: () => void) {
        super(ds.BoardFault.spec)
    }
    reading() {
        return this.latch.code
    }
    detail() {
        return this.latch.detail
    }
    clear() {
        if (this.latch.code === ds.BoardFaultCode.HardwareStart) return // the chips are checked at start-up only
        this.latch.clear()
        this.onClear()
    }

    /** Latches `code` unless a fault is already latched, and raises the fault event. */
    async raise(code: ds.BoardFaultCode, detail: number) {
        if (this.latch.isActive()) return
        this.latch.raise(code, detail)
        await this.sendEvent(ds.BoardFault.spec.lookup("fault").encode([detail, code]))
    }
}
