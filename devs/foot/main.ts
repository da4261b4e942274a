// Foot sensor board: reads the four load cells of one sole once a sample period (10 ms by default, the
// stock runtime's tick; shorter with a runtime built with a faster tick), keeps their zero offsets, detects touchdown and liftoff, computes the ground reaction
// force and its centre of pressure, watches the cells for faults, and reports all of it through the
// footcontact service. The samples come from the board's own ADC (the ADS131M04 over SPI on a board,
// the simulator's hardware twin here), never over Jacdac: a program may send only ~50 packets a second.
import * as ds from "@devicescript/core"
import { startServer } from "@devicescript/server"
import { CellFaultMonitor } from "../lib/cellfaults"
import { ContactDetector, NO_EVENT, TOUCHDOWN } from "../lib/contact"
import { GroundReaction } from "../lib/grf"
import { TRACK_EVERY_US, ZeroTracker } from "../lib/zero"
import {
    CELL_RATED_N,
    CELLS,
    DEFAULT_SAMPLE_PERIOD_MS,
    REPORT_PERIOD_MS,
    ZEROING_WINDOW_MS,
} from "./config"
import { BoardFaultServer, FootContactServer } from "./servers"
import { routeServerPackets } from "../lib/server-packets"
import { loadFootSettings } from "./settings"
import { FOOT_SETTINGS } from "./settings-schema"
import { startFootHardware } from "./hardware"
import { ADC_RATE_HZ, readCounts } from "./load-cell-adc"
import type { ADS131M04 } from "../../drivers/ads131m04"
import { millis, sleep, suspend, twinMessage } from "../lib/runtime"
import { stampDifferenceUs, wrapU32 } from "../lib/stamps"

const S = ds.FootContactState
// the events' specs, looked up by name once (a lookup is a string search in the VM)
const TOUCHDOWN_SPEC = ds.FootContact.spec.lookup("touchdown")
const LIFTOFF_SPEC = ds.FootContact.spec.lookup("liftoff")
const F = ds.FootContactFlags
const READING_CODE = ds.FootLoadCells.spec.lookup("reading").code
/**
 * a touchdown's confirming sample is read this long after the first (board clock, whole ms: 1 to 2 ms
 * plus the reads' own time): the 2 kHz sinc3 filter averages 1.5 ms, so it is a window of its own
 */
const CONFIRM_AFTER_MS = 2
const CONFIRM_MAX_READS = 20

const settings = await loadFootSettings()
const hw = new ds.FootLoadCells()
const detector = new ContactDetector()
const zero = new ZeroTracker(CELLS)
const faults = new CellFaultMonitor(CELLS)
const grf = new GroundReaction(settings.xMm, settings.yMm)

const raw: number[] = [0, 0, 0, 0]
const rawN: number[] = [0, 0, 0, 0]
const cellN: number[] = [0, 0, 0, 0]
const request = Buffer.alloc(1)
/** board time of the last sample, unwrapped from its u32 microsecond stamp (the twin's, or millis() on a board) */
let boardUs = -1
let lastStampUs = 0

const controls = {
    detector,
    copMinForceN: 50,
    samplePeriodMs: DEFAULT_SAMPLE_PERIOD_MS,
    tare: () => zero.start(zeroingSamples()),
    // the sampling loop reads the period each time round
    setSamplePeriod: (ms: number) => (controls.samplePeriodMs = ms),
}
const contact = new FootContactServer(controls, settings.id)
const fault = new BoardFaultServer(() => faults.clear())
startServer(contact)
startServer(fault)
routeServerPackets([contact, fault], [])
if (settings.invalid >= 0) {
    await fault.raise(ds.BoardFaultCode.InvalidSetting, settings.invalid)
    console.log(`invalid setting: ${settings.problem !== "" ? settings.problem : FOOT_SETTINGS[settings.invalid].key} (running on the reference sole)`)
}

const zeroingSamples = () => Math.ceil(ZEROING_WINDOW_MS / controls.samplePeriodMs)

// on a board, the ADS131M04 (the simulator's hardware twin answers sample requests instead)
let adc: ADS131M04 = null
let sampling = ds.isSimulator()
if (!sampling) {
    try {
        adc = await startFootHardware()
        sampling = true
    } catch (e) {
        // a chip that fails its start-up check: the fault latches, the board does not sample
        console.log(e)
        await fault.raise(ds.BoardFaultCode.HardwareStart, 0)
    }
}

/** the sampling fiber, while it waits for the twin's reading */
let waitingForReading: ds.Fiber = null

if (sampling) {
    if (adc === null) {
        // the twin's ADC converts at the rate the board's set-up gives the chip (load-cell-adc.ts)
        const rate = Buffer.alloc(4)
        rate.setAt(0, "u32", ADC_RATE_HZ)
        await twinMessage("flc/rate", rate)
        // The twin's readings come here directly and are handed, undecoded, to the sampling fiber
        // waiting for them: the library's role handler keeps a register cache and emits to
        // subscribers, and decode() builds an array, work every sample does not need.
        hw._onPacket = async (pkt: ds.Packet) => {
            if (!pkt || pkt.serviceCommand !== READING_CODE) return
            const f = waitingForReading
            waitingForReading = null
            if (f !== null && f.suspended) f.resume(pkt)
        }
    }
    zero.start(zeroingSamples())
    startSampling()
}

/** time (board µs) of the unloaded samples in the air since the zero tracker's last step */
let untrackedUs = 0
/** board time (ms) the next report is due; an event in the same run puts it off to the next sample */
let reportDueMs = 0
let reportDue = false
let senderBusy = false

/**
 * Reads the cells once a sample period, on a loop fiber that keeps the period's grid (as the joint's
 * control loop does). On the stock runtime a period of the 10 ms tick is what the board can keep; the
 * ADC's filter averages each conversion, and the newest one is read (load-cell-adc.ts).
 *
 * A touchdown sample below STRONG_TOUCHDOWN times its threshold waits for a second one (lib/contact.ts).
 * That sample is taken as soon as the ADC's sinc3 filter has averaged a window of its own
 * (CONFIRM_AFTER_MS from the first one's read), not a sample period later: a sleep that short would
 * wake only at the runtime's next tick, but every SPI transfer's completion wakes the board, so reads
 * in between are the wait. Their DRDY bits go to the confirming sample, for the cells' silence checks.
 *
 * Everything a sample does is written out in this one function, with calls only where the libraries'
 * per-sample steps are (static: the VM finds an instance's method only after comparing its name with
 * each of the object's fields as strings) and on rare paths. Every call allocates the callee's
 * activation record, and an allocation that splits the heap's large free block fills the rest of it
 * (gc_alloc.c): measured in foot-gait at a 1 ms tick, two empty calls added ~31,000 cycles to a
 * sample's work, 10 %, most of it that fill.
 */
function startSampling() {
    const loop = async () => {
        let nextMs = millis()
        /** a touchdown waits for its confirming sample, read at this board time (ms); -1: none */
        let confirmAtMs = -1
        let confirmReads = 0
        let ready = 0
        while (true) {
            // a read only to wait for the confirming sample's window
            let waiting = false
            if (confirmAtMs >= 0) {
                // (bounded: where reads take no time at all, as in the simulator's ideal target, the clock stands still)
                waiting = millis() < confirmAtMs && confirmReads < CONFIRM_MAX_READS
                confirmReads++
            } else {
                const periodMs = controls.samplePeriodMs
                nextMs += periodMs
                let waitMs = nextMs - millis()
                // woke a whole period late: that period's sample is lost, keep the grid
                if (waitMs <= 0) {
                    nextMs += periodMs * Math.ceil(1 - waitMs / periodMs)
                    waitMs = nextMs - millis()
                }
                await sleep(waitMs)
                ready = 0
            }

            // ---- the newest conversion into `raw`, its DRDY bits into `ready`, its board time (u32 µs,
            // -1: the read brought nothing) into stampUs
            let stampUs = -1
            if (adc) {
                ready |= await readCounts(adc, raw)
                stampUs = wrapU32(millis() * 1000)
            } else {
                // The simulator's hardware twin answers a sample request with a FootLoadCells reading
                // (within the SPI transfer's time; none at all is a sample with no channel converted).
                // The sample's work, its sends included, stays in this fiber: a report sent from the
                // reading handler's own fiber stalled that handler for good at 1 ms periods (found in
                // the simulator, cause not known), and ds.wait costs a subscription per sample.
                await twinMessage("flc/sample", request)
                waitingForReading = ds.Fiber.self()
                const pkt = await suspend<ds.Packet>(controls.samplePeriodMs)
                waitingForReading = null
                if (pkt !== undefined) {
                    // the reading's fields where services/footloadcells.md puts them (getAt is one opcode)
                    const p = pkt.payload
                    stampUs = p.getAt(0, "u32")
                    raw[0] = p.getAt(4, "i32")
                    raw[1] = p.getAt(8, "i32")
                    raw[2] = p.getAt(12, "i32")
                    raw[3] = p.getAt(16, "i32")
                    ready |= p.getAt(22, "u8")
                }
            }
            if (waiting) {
                if (stampUs < 0) confirmAtMs = -1 // nothing read: back to the period's grid
                continue
            }
            confirmAtMs = -1

            // ---- the cells' faults
            const cell = CellFaultMonitor.update(faults, raw, ready)
            if (cell >= 0) await fault.raise(faults.codes[cell], cell)
            // no reading at all: every channel was silent, and there is no time to go on
            if (stampUs < 0) continue
            // a sample older than the last (a late answer) is not news: it moves no clock and is not
            // counted (read as a wrap, its stamp put the board's time 71 minutes on)
            const dtUs = boardUs < 0 ? 0 : stampDifferenceUs(stampUs, lastStampUs)
            if (dtUs < 0) continue
            lastStampUs = stampUs
            boardUs = boardUs < 0 ? stampUs : boardUs + dtUs

            // ---- forces, contact, drift
            const gains = settings.gains
            let eventSent = false
            if (zero.remaining > 0) {
                for (let i = 0; i < CELLS; i++) rawN[i] = raw[i] * gains[i]
                zero.apply(rawN, cellN)
            } else {
                // One pass over the cells: newtons, zeroed, the usable ones summed.
                const offsetsN = zero.offsetsN
                const usable = faults.usable
                let totalN = 0
                for (let i = 0; i < CELLS; i++) {
                    const n = raw[i] * gains[i]
                    rawN[i] = n
                    const c = n - offsetsN[i]
                    cellN[i] = c
                    if (usable & (1 << i)) totalN += c
                }
                grf.totalN = totalN
                // the usable cells' sum scaled up for the missing ones
                const usableCells = faults.usableCells
                const forceN = usableCells === CELLS ? totalN : usableCells > 0 ? (totalN * CELLS) / usableCells : 0
                const event = ContactDetector.update(detector, forceN, boardUs)
                if (event !== NO_EVENT) {
                    const spec = event === TOUCHDOWN ? TOUCHDOWN_SPEC : LIFTOFF_SPEC
                    await contact.sendContactEvent(spec.encode([wrapU32(detector.eventUs), forceN]))
                    eventSent = true
                }
                // in the air the cells carry nothing but the sole plate: follow their drift, a step
                // every TRACK_EVERY_US of such samples in a row
                else if (detector.state === S.Swing && forceN < detector.liftoffThresholdN && forceN > -detector.liftoffThresholdN) {
                    untrackedUs += dtUs
                    if (untrackedUs >= TRACK_EVERY_US) {
                        ZeroTracker.track(zero, rawN, untrackedUs / 1e6)
                        untrackedUs = 0
                    }
                } else untrackedUs = 0
            }

            // ---- the report follows the sample it reports, every REPORT_PERIOD_MS, but never in the
            // run that sent a touchdown or liftoff: the board's frames leave when its run ends, and the
            // event should not wait for the report's work
            const nowMs = millis()
            if (!eventSent && nowMs >= reportDueMs) {
                reportDueMs += REPORT_PERIOD_MS
                if (reportDueMs <= nowMs) reportDueMs = nowMs + REPORT_PERIOD_MS
                reportDue = true
            }
            const repeatDueMs = contact.repeatDueMs
            if ((reportDue || (repeatDueMs >= 0 && nowMs >= repeatDueMs)) && !senderBusy && sender.suspended) sender.resume(null)

            // ---- a touchdown to confirm: its second sample next, from the first one's read (boardUs,
            // the board clock's ms unwrapped), not from the end of its work (that took most of the window)
            if (detector.confirming && controls.samplePeriodMs > CONFIRM_AFTER_MS + 1) {
                confirmAtMs = boardUs / 1000 + CONFIRM_AFTER_MS
                confirmReads = 0
                ready = 0
            }
        }
    }
    loop.start()
}

/**
 * Reports and event repeats go out from their own fiber, woken by the sample that has one due, in
 * the same run. A send waits while the runtime's send budget (about 50 packets a second) is spent,
 * and that wait must not hold up sampling: it did, 100 ms at start-up while the body controller reads
 * the board's registers (and a handler that sent its reports stalled for good at 1 ms periods). A
 * report due while the last one still waits is skipped.
 */
const sender = (async () => {
    while (true) {
        await suspend()
        senderBusy = true
        await contact.repeatEvent(millis())
        if (reportDue) {
            reportDue = false
            await report()
        }
        senderBusy = false
    }
}).start()

async function report() {
    if (boardUs < 0) return
    grf.centreOfPressure(cellN, faults.usable, controls.copMinForceN)
    let flags = 0
    for (let i = 0; i < CELLS; i++) if (faults.healthy & (1 << i) && cellN[i] > CELL_RATED_N) flags |= F.Overload
    if (faults.healthy !== (1 << CELLS) - 1) flags |= F.Degraded
    if (grf.copXMm === grf.copXMm) flags |= F.CopValid
    if (zero.remaining > 0) flags |= F.Zeroing
    await contact.sendReading([
        wrapU32(boardUs),
        grf.totalN,
        grf.copXMm,
        grf.copYMm,
        cellN[0],
        cellN[1],
        cellN[2],
        cellN[3],
        detector.state,
        flags,
        faults.healthy,
    ])
}
