// The foot board's Jacdac servers: its contact service (services/footcontact.md) and its fault
// state (services/boardfault.md). Thin: registers and commands map onto the detector and the program.
import * as ds from "@devicescript/core"
import { Server } from "@devicescript/server"
import type { ContactDetector } from "../lib/contact"
import { isFiniteNumber } from "../lib/math"
import { MAX_SAMPLE_PERIOD_MS, MAX_THRESHOLD_N } from "./config"
import { FaultLatch } from "../lib/fault-latch"
import { BoundedEvents } from "../lib/bounded-events"
import { millis } from "../lib/runtime"

export interface FootControls {
    detector: ContactDetector
    copMinForceN: number
    samplePeriodMs: number
    tare(): void
    setSamplePeriod(ms: number): void
}

// the packets' specs, looked up by name once (a lookup is a string search in the VM)
const READING_SPEC = ds.FootContact.spec.lookup("reading")
const FAULT_SPEC = ds.BoardFault.spec.lookup("fault")

/** the server library's send to "service" 0x100: prepares a packet as an event (its counter) */
interface DsServer {
    _serverSend(serviceIndex: number, pkt: ds.Packet): Promise<void>
}
const EVENT_PREP = 0x100
/** an event's repeats, ms after its first send (the server library's sendEvent) */
const EVENT_REPEAT_MS = [20, 70]

type ContactReading = [number, number, number, number, number, number, number, number, ds.FootContactState, ds.FootContactFlags, number]

export class FootContactServer extends Server implements ds.FootContactServerSpec {
    /** board time (ms) the last event's next repeat is due, -1: none (a field: read every sample) */
    repeatDueMs = -1
    last: ContactReading = [0, 0, NaN, NaN, 0, 0, 0, 0, ds.FootContactState.Swing, 0, 0]
    private event: ds.Packet = null
    private eventSentMs = 0
    private eventRepeats = 0

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
    // a threshold that breaks the hysteresis (liftoff below touchdown), or above the sole's full
    // scale, is refused
    set_touchdownThreshold(v: number) {
        if (isFiniteNumber(v) && v > this.c.detector.liftoffThresholdN && v <= MAX_THRESHOLD_N) this.c.detector.touchdownThresholdN = v
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
        if (isFiniteNumber(v) && v > 0 && v <= MAX_THRESHOLD_N) this.c.copMinForceN = v
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

    /**
     * Sends a touchdown or liftoff event now. Jacdac repeats an event (the server library sends it at
     * 0, 20 and 70 ms through a worker queue: 1.5 ms of the C3's time per event, measured under the
     * simulator's target model, in the run that must end for the event to leave). Here the first
     * goes out at once and `repeatEvent`, called when `repeatDueMs` comes, sends the repeats; a new event
     * replaces one whose repeats are not all sent.
     */
    async sendContactEvent(pkt: ds.Packet) {
        await (ds as unknown as DsServer)._serverSend(EVENT_PREP, pkt) // numbers the packet as an event
        await this._send(pkt)
        this.event = pkt
        this.eventSentMs = millis()
        this.eventRepeats = 0
        this.repeatDueMs = this.eventSentMs + EVENT_REPEAT_MS[0]
    }

    /** sends the last event's repeat if it is due at `nowMs` */
    async repeatEvent(nowMs: number) {
        if (this.repeatDueMs < 0 || nowMs < this.repeatDueMs) return
        const pkt = this.event
        if (++this.eventRepeats === EVENT_REPEAT_MS.length) {
            this.event = null
            this.repeatDueMs = -1
        } else this.repeatDueMs = this.eventSentMs + EVENT_REPEAT_MS[this.eventRepeats]
        await this._send(pkt)
    }

    async sendReading(r: ContactReading) {
        this.last = r
        await this._send(READING_SPEC.encode(r))
    }
}

export class BoardFaultServer extends Server implements ds.BoardFaultServerSpec {
    /** the board's one fault latch (the joint's too: devs/lib/fault-latch.ts) */
    readonly latch = new FaultLatch()
    private events = new BoundedEvents(this)

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
        this.events.raise(FAULT_SPEC.encode([detail, code]))
    }
}
