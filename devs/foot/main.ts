// Foot sensor board: reads the four load cells of one sole at the sampling rate (500 Hz by default,
// 1 kHz works), keeps their zero offsets, detects touchdown and liftoff, computes the ground reaction
// force and its centre of pressure, watches the cells for faults, and reports all of it through the
// footcontact service. The samples come from the board's own ADC (the ADS131M04 over SPI on a board,
// the simulator's hardware twin here), never over Jacdac: a program may send only ~50 packets a second.
import * as ds from "@devicescript/core"
import { startServer } from "@devicescript/server"
import { CellFaultMonitor } from "../lib/cellfaults"
import { ContactDetector, LIFTOFF, TOUCHDOWN } from "../lib/contact"
import { detectionForceN, GroundReaction } from "../lib/grf"
import { ZeroTracker } from "../lib/zero"
import {
    CELL_RATED_N,
    CELLS,
    DEFAULT_SAMPLE_PERIOD_MS,
    REPORT_PERIOD_MS,
    ZEROING_WINDOW_MS,
} from "./config"
import { BoardFaultServer, FootContactServer } from "./servers"
import { loadFootSettings } from "./settings"

const U32_SPAN = 4294967296
const S = ds.FootContactState
const F = ds.FootContactFlags

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
/** board time of the last sample, unwrapped from the ADC's u32 microsecond stamp */
let boardUs = -1
let lastStampUs = 0
let timer: number

const controls = {
    detector,
    copMinForceN: 50,
    samplePeriodMs: DEFAULT_SAMPLE_PERIOD_MS,
    tare: () => zero.start(zeroingSamples()),
    setSamplePeriod: (ms: number) => {
        controls.samplePeriodMs = ms
        clearInterval(timer)
        timer = setInterval(sample, ms)
    },
}
const contact = new FootContactServer(controls, settings.id)
const fault = new BoardFaultServer(() => faults.clear())
startServer(contact)
startServer(fault)
if (settings.invalid >= 0) await fault.raise(ds.BoardFaultCode.InvalidSetting, settings.invalid)

const zeroingSamples = () => Math.ceil(ZEROING_WINDOW_MS / controls.samplePeriodMs)
// (the VM computes % on 32-bit integers, so no modulo here)
const wrapU32 = (us: number) => us - Math.floor(us / U32_SPAN) * U32_SPAN

// devs/foot/hardware.ts starts the ADS131M04 and devs/foot/load-cell-adc.ts reads it (tested in the
// VM against the chip's fake), but linked in they take the program to 16.9 KB, over its 16 KB budget
if (!ds.isSimulator()) throw new Error("foot hardware start (devs/foot/hardware.ts) is not linked in: over the 16 KB program budget")

// ds.wait on a register needs its subscribe in the program (otherwise it is compiled out)
hw.reading.subscribe(() => {})
zero.start(zeroingSamples())
timer = setInterval(sample, controls.samplePeriodMs)
setInterval(report, REPORT_PERIOD_MS)

async function sample() {
    // the simulator's hardware twin answers a sample request with a FootLoadCells reading
    await ds._twinMessage("flc/sample", request)
    const s = await ds.wait(hw.reading, controls.samplePeriodMs)
    if (s === undefined) {
        // no conversion at all: every channel is silent this sample
        const cell = faults.update(raw, 0)
        if (cell >= 0) await fault.raise(faults.codes[cell], cell)
        return
    }
    const stampUs = s[0]
    let dtUs = stampUs - lastStampUs
    if (dtUs < 0) dtUs += U32_SPAN
    lastStampUs = stampUs
    boardUs = boardUs < 0 ? stampUs : boardUs + dtUs
    raw[0] = s[1]
    raw[1] = s[2]
    raw[2] = s[3]
    raw[3] = s[4]
    await process(s[6], dtUs)
}

async function process(ready: number, dtUs: number) {
    const cell = faults.update(raw, ready)
    if (cell >= 0) await fault.raise(faults.codes[cell], cell)
    for (let i = 0; i < CELLS; i++) rawN[i] = raw[i] * settings.gains[i]
    zero.apply(rawN, cellN)
    if (zero.zeroing()) return
    const total = grf.update(cellN, faults.usable, controls.copMinForceN)
    const forceN = detectionForceN(total, faults.usableCount(), CELLS)
    const event = detector.update(forceN, boardUs)
    if (event === TOUCHDOWN)
        await contact.sendEvent(ds.FootContact.spec.lookup("touchdown").encode([wrapU32(detector.eventUs), forceN]))
    else if (event === LIFTOFF)
        await contact.sendEvent(ds.FootContact.spec.lookup("liftoff").encode([wrapU32(detector.eventUs), forceN]))
    // in the air the cells carry nothing but the sole plate: follow their drift
    if (detector.state === S.Swing && forceN < detector.liftoffThresholdN && forceN > -detector.liftoffThresholdN)
        zero.track(rawN, dtUs / 1e6)
}

async function report() {
    if (boardUs < 0) return
    let flags = 0
    for (let i = 0; i < CELLS; i++) if (faults.healthy & (1 << i) && cellN[i] > CELL_RATED_N) flags |= F.Overload
    if (faults.healthy !== (1 << CELLS) - 1) flags |= F.Degraded
    if (grf.copXMm === grf.copXMm) flags |= F.CopValid
    if (zero.zeroing()) flags |= F.Zeroing
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
