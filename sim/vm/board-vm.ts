// One board's DeviceScript VM, stepped by the virtual clock under the target timing model
// (target-model.ts). With target=esp32 each run of the runtime's main loop (at its tick, on a frame,
// on a completion, after a run that sent something) keeps the chip busy for the run's counted cost:
// the clock the program reads moves on as it works, what it hands its hardware leaves at the moment
// it does, the frames it sends leave when the run ends, and wakes that fall due meanwhile wait.
// With target=ideal a run takes no time and the VM wakes exactly when it asks to (plus the seeded
// wake-up jitter of vmJitterMs), and whenever a frame arrives.
import type { VirtualClock, TimerHandle } from "../clock.ts"
import type { Random } from "../random.ts"
import { countedSince, VM_MEMORY_PAGES, type VmCounters } from "./counting.ts"
import { CpuStats } from "./cpu-stats.ts"
import { heapUse } from "./heap.ts"
import type { DevsFactory, DevsModule } from "./loader.ts"
import type { LookupTally } from "./lookup-probe.ts"
import type { OpProfile } from "./op-profile.ts"
import { TargetModel, type RunWork, type SpiTransfer } from "./target-model.ts"

export interface VmPanic {
    board: string
    code: number
    tUs: number
    /** the program's last console lines before the panic */
    message: string
}

export interface BoardVmOptions {
    name: string
    /** 16 hex digits */
    deviceId: string
    bytecode: Uint8Array
    clock: VirtualClock
    /** the board's jitter stream */
    random: Random
    /** the chip and runtime the board's time is modelled on */
    model: TargetModel
    /** each timer wake-up is late by a uniform 0..vmJitterMs (target=ideal) */
    vmJitterMs?: number
    /** called with every Jacdac frame the VM sends */
    onFrame: (frame: Uint8Array, vm: BoardVm) => void
    /** called with every `ds._twinMessage(topic, data)` of the program: the board-local hardware link */
    onTwin?: (topic: string, data: Uint8Array, vm: BoardVm) => void
    /** called with each console.log line of the program */
    onLog?: (line: string, vm: BoardVm) => void
    /** called with every line of the VM's own log (dmesg), console lines included */
    onDmesg?: (line: string) => void
    onPanic?: (panic: VmPanic) => void
    /** DeviceScript's GC stress mode, as `devs run --test` uses */
    gcStress?: boolean
    /** where a VM module with the lookup probe counts the board's lookups by name (lookup-probe.ts) */
    lookups?: LookupTally
    /** where a VM module with the profile's calls charges the board's work by bytecode function (op-profile.ts) */
    profile?: OpProfile
    /** flash contents at power-up (settings, deployed program); kept across the run in `flash` */
    flash?: Uint8Array
}

/**
 * One power cycle of a board (`restart`): when it lost power, when its runtime started again, its first
 * frame after, and when its manager started its stored program (STORED_PROGRAM_START_MS after).
 */
export interface BoardRestart {
    offAtUs: number
    onAtUs?: number
    /** the restarted board's first Jacdac frame on the bus (its runtime's, at its boot) */
    firstFrameUs?: number
    /** the run in which the runtime started the stored program (the runtime's empty one when none is stored) */
    programStartUs?: number
}

const RECENT_LINES = 8

/** a brown-out's default: how long the board's logic supply stays under the threshold, holding the chip in reset */
export const BROWN_OUT_OFF_MS = 30
/**
 * A restart's default boot, from power back to the runtime starting: Espressif gives about 300 ms from
 * power-on to app_main for an ESP32-S3 without boot-time tuning (esp-techpedia, "ESP Chip Startup Time
 * Optimization"); the DeviceScript runtime's own start after that is uncharged, as at t = 0 (`powerUp`).
 */
export const BOOT_MS = 300

/**
 * Booted from its flash, the runtime's DeviceScript manager starts the stored program this long after
 * the runtime's own start: `next_restart = now + SECONDS(1.1)`, "first start 1.1s after brain boot up -
 * allow devices to enumerate" (devsmgr_init in the runtime's devsmgr.c, v2.16.4; SECONDS(n) is n * 2^20
 * µs), at its first poll after that. The same C code runs on the ESP32 and in the WASM VM: the VM
 * starts the program itself (measured: 1.161 s after boot, the brown-out row of `hfw sim faults`).
 * This figure is for planning around it (a timeline, a deploy's wait), never to start anything.
 * A first power-up deploys the bytecode, and the manager starts a deployed program at once.
 */
export const STORED_PROGRAM_START_MS = 1153

/** a run of the main loop this long means the board has hung (see vmClockMs) */
export const HUNG_RUN_US = 1_000_000
/** the panic code a hung board is reported with (the VM's own codes are positive) */
export const HUNG_PANIC_CODE = -2

class HungRun extends Error {
    constructor(
        readonly busyUs: number,
        message: string
    ) {
        super(message)
    }
}

const isLargeFrame = (frame: Uint8Array) => frame[2] === 0xff
const TOPIC_DECODER = new TextDecoder()
/** the most twin topics remembered by their bytes (a program uses a handful) */
const MAX_KNOWN_TOPICS = 64
const knownTopics: { bytes: Uint8Array; topic: string }[] = []

/**
 * A twin message's topic from its bytes: found among the topics seen before by comparing bytes, and
 * decoded only when new (a joint's loop sends two twin messages a period at up to 1 kHz, and a
 * TextDecoder call costs more than the comparison).
 */
function topicOf(bytes: Uint8Array): string {
    next: for (const known of knownTopics) {
        const b = known.bytes
        if (b.length !== bytes.length) continue
        for (let i = 0; i < b.length; i++) if (b[i] !== bytes[i]) continue next
        return known.topic
    }
    const topic = TOPIC_DECODER.decode(bytes)
    if (knownTopics.length < MAX_KNOWN_TOPICS) knownTopics.push({ bytes: bytes.slice(), topic })
    return topic
}

export class BoardVm {
    readonly name: string
    readonly deviceId: string
    panic: VmPanic | undefined
    /** times the VM stepped (wake-ups) */
    wakeups = 0
    /** frames the VM's receive queue had no room for (dropped, as a board's full queue drops them) */
    framesDropped = 0
    flash: Uint8Array
    readonly model: TargetModel
    readonly cpu: CpuStats
    /** the board's power cycles (restart), in order */
    readonly restarts: BoardRestart[] = []
    private mod!: DevsModule
    private factory!: DevsFactory
    /** the module the board boots into at its next power-up (prepareRestart) */
    private spare: DevsModule | undefined
    private powered = true
    /** power cycles so far: what was under way when the power went (a transfer, a run's frames) is dropped */
    private epoch = 0
    private powerLossHooks: (() => void)[] = []
    private powerUpHooks: (() => void)[] = []
    private wake: TimerHandle | undefined
    private recentLines: string[] = []
    private inbox: Uint8Array[] = []
    private localInbox: Uint8Array[] = []
    private stopped = false
    // target=esp32: the run in progress, and the chip's state between runs
    private bootUs = 0
    private busyUntilUs = 0
    private run: { startUs: number; modelled: boolean; instructions: number; f64Ops: number; opcodes: number; work: RunWork } | undefined
    private outbox: Uint8Array[] = []
    /** when the program's earliest timer falls due (board time, from the VM's last run) */
    private timerDueUs: number | undefined
    private tick: TimerHandle | undefined
    private collectionsSeen = 0
    /**
     * The runtime has started the program. Until then the board runs as with target=ideal, uncharged:
     * the runtime's start-up (clearing memory, the program image's SHA-256 and verification: ~19 M
     * instructions for the joint program, ~120 ms at 160 MHz) is not modelled, a scenario takes its
     * boards as started at t = 0. (It also keeps the program's start off board time 0 ms, where the
     * runtime's fibers cannot be scheduled: a wake time of 0 means "none" in fibers.c.) Booted from
     * flash, the runtime waits for its manager's start (STORED_PROGRAM_START_MS) the same way: it
     * announces itself and answers the bus, uncharged. With target=esp32 its main loop runs at its
     * tick and on frames from boot, as after the start, so the manager starts the program where a
     * board's would: at a tick, or at a frame's run (polled at the VM's own wake times, it started
     * between them). A first power-up keeps the VM's own wake times until the deployed program starts.
     */
    private started = false
    private verifiesAtBoot = 0

    private constructor(private opts: BoardVmOptions) {
        this.name = opts.name
        this.deviceId = opts.deviceId
        this.flash = opts.flash ?? new Uint8Array(0)
        this.model = opts.model
        this.cpu = new CpuStats(opts.name, this.model.chip.name, this.model.clockMHz)
    }

    static async start(factory: DevsFactory, opts: BoardVmOptions): Promise<BoardVm> {
        const vm = new BoardVm(opts)
        vm.factory = factory
        vm.powerUp(await vm.instantiate(), "bytecode")
        return vm
    }

    /** stopped, panicked, or without power (between a restart's power loss and its power-up) */
    get stoppedOrPanicked() {
        return this.stopped || !!this.panic || !this.powered
    }

    /**
     * Makes the VM instance the board boots into after a `restart`. Instantiating the WASM module is
     * asynchronous, so it is done before the run (the run stays a function of its inputs); one per restart.
     */
    async prepareRestart() {
        this.spare ??= await this.instantiate()
    }

    /** `hook` runs when the board loses power (its hardware goes off with it) */
    onPowerLoss(hook: () => void) {
        this.powerLossHooks.push(hook)
    }

    /** `hook` runs when a restarted board's runtime starts again */
    onPowerUp(hook: () => void) {
        this.powerUpHooks.push(hook)
    }

    /**
     * A brown-out: the board loses power now and its runtime starts again `offUs` later (power back plus
     * the chip's boot), from its flash: the program and settings the flash holds now are kept (a program
     * deployed since the board was made included; none, if a write was cut short), RAM is lost (a new VM
     * instance). Whatever was under way (a run's frames, SPI transfers, timers) is lost with the power.
     */
    restart(offUs: number) {
        const spare = this.spare
        if (!spare) throw new Error(`${this.name}: restart() needs prepareRestart() before the run`)
        if (this.stoppedOrPanicked) return
        const clock = this.opts.clock
        this.powered = false
        this.epoch++
        clock.cancel(this.wake)
        clock.cancel(this.tick)
        this.wake = this.tick = undefined
        this.inbox = []
        this.outbox = []
        this.timerDueUs = undefined
        this.restarts.push({ offAtUs: clock.nowUs })
        this.cpu.powerLost()
        for (const h of this.powerLossHooks) h()
        clock.schedule(clock.nowUs + offUs, () => {
            if (this.stopped) return
            this.spare = undefined
            this.powerUp(spare, "flash")
            this.restarts[this.restarts.length - 1].onAtUs = clock.nowUs
            for (const h of this.powerUpHooks) h()
        })
    }

    /**
     * A frame from the bus: queued like the receive interrupt of a real board does, and handed to the
     * VM when it next runs, which is at once. (Never re-enters the VM while it is sending.) A `local`
     * frame (the board's own hardware: its sample, its local devices) is handed over before the bus's:
     * on a board it comes over SPI, and a flood on the bus that fills the VM's receive queue must not
     * drop it (it did: garbage frames starved a joint of its samples and a foot of its ADC).
     */
    receive(frame: Uint8Array, local = false) {
        if (this.stoppedOrPanicked) return
        if (local) this.localInbox.push(frame)
        else this.inbox.push(frame)
        // Observed: a VM woken by a frame between its boot with a deployed program and that program's
        // start (its second run, ~10 ms later) starts the program at that moment and the program
        // never runs a timer. A board's receive interrupt is not serviced before its runtime is up
        // either, so frames wait for its second run. (Booted from flash, the frames that come in the
        // 1.15 s before the manager starts the stored program do not start it early, and its timers
        // run: the brown-out row of `hfw sim faults` has its body controller's commands every 10 ms.)
        if (this.wakeups >= 2) this.wakeAt(this.opts.clock.nowUs, false)
    }

    stop() {
        this.stopped = true
        this.opts.clock.cancel(this.wake)
        this.opts.clock.cancel(this.tick)
    }

    /**
     * The board's time now, as its program sees it: during a run, the run's start plus the chip time
     * of the work counted so far (target=esp32).
     */
    get nowUs(): number {
        const now = this.opts.clock.nowUs
        return this.run ? this.run.startUs + this.runUsSoFar() : now
    }

    /**
     * The program starts an SPI transfer now: its CPU cost is charged to the run; `atBits` runs when its
     * bits move (the chip is read), `atDone` when it ends (a write takes effect), and then its completion
     * wakes the board (JD_WAKE_MAIN). With target=ideal both run at once, in this instant, and nothing
     * more wakes the board.
     */
    spiTransfer(t: SpiTransfer, atBits: () => void, atDone: () => void) {
        if (this.run) this.run.work.spiTransfers++
        const clock = this.opts.clock
        const { firstBitUs, doneUs } = this.model.spiTransfer(this.nowUs, t)
        if (this.model.ideal) {
            atBits()
            atDone()
            return
        }
        const epoch = this.epoch
        // (the board's own events: its hardware's code brings up the plant it reads or drives)
        clock.scheduleLocal(firstBitUs, () => epoch === this.epoch && atBits())
        clock.scheduleLocal(doneUs, () => {
            if (epoch !== this.epoch) return
            atDone()
            if (!this.stoppedOrPanicked && this.wakeups >= 2) this.wakeAt(clock.nowUs, false)
        })
    }

    /**
     * The board's own clock now, µs since it booted (its runtime counts from its start: ds.millis()
     * is 0 at each boot), at the resolution the program reads it.
     */
    boardClockUs(): number {
        return this.model.boardClockUs(this.nowUs - this.bootUs)
    }

    /** the work the VM has done so far (sim/vm/counting.ts) */
    get counters(): VmCounters {
        return this.mod.counters
    }

    /** heap in use now (the live data plus any garbage not yet collected) */
    heapUse() {
        const gc = this.mod.counters.collectorAddress()
        return gc ? heapUse(this.mod.HEAPU8, gc) : undefined
    }

    private instantiate(): Promise<DevsModule> {
        return this.factory({ nowMs: () => this.vmClockMs(), lookups: this.opts.lookups, profile: this.opts.profile })
    }

    /**
     * The runtime starts, RAM fresh, with its flash: settings, and the program it holds. At the first
     * power-up the board's bytecode is deployed first (as it was flashed) and the manager starts it at
     * once; after a restart the program is the flash's, whatever was deployed since, or none when a
     * deploy was cut short (the runtime keeps a program only once it is whole: it then runs its empty
     * program), and the manager starts it STORED_PROGRAM_START_MS after boot, or when told to run it.
     */
    private powerUp(m: DevsModule, program: "bytecode" | "flash") {
        this.mod = m
        this.powered = true
        this.wakeups = 0
        this.started = false
        this.collectionsSeen = 0
        this.recentLines = []
        this.busyUntilUs = this.opts.clock.nowUs
        m.dmesg = line => this.dmesg(line)
        m.panicHandler = code => this.onPanic(code)
        m.deployHandler = () => {}
        m.sendPacket = frame => (isLargeFrame(frame) ? this.twin(frame) : this.send(frame))
        m.flashLoad = () => this.flash
        m.flashSave = data => {
            this.flash = data
        }
        m.devsSetDeviceId(this.opts.deviceId)
        m.devsGcStress(!!this.opts.gcStress)
        m.devsInit()
        if (program === "bytecode") {
            const rc = m.devsDeploy(this.opts.bytecode)
            if (rc !== 0) throw new Error(`${this.name}: the VM refused the bytecode (devsDeploy returned ${rc})`)
        }
        this.bootUs = this.opts.clock.nowUs
        this.verifiesAtBoot = m.counters.verifies()
        this.cpu.heapBytes = this.model.chip.heapBytes
        this.wakeAt(this.bootUs, false)
        // booted from flash, the runtime runs at its tick (and on frames) until its manager starts the program
        if (program === "flash" && !this.model.ideal) this.scheduleTick()
    }

    /** the runtime's periodic main-loop timer (esp_timer_start_periodic: a fixed phase from boot) */
    private scheduleTick() {
        const clock = this.opts.clock
        this.tick = clock.schedule(this.model.nextTickUs(clock.nowUs, this.bootUs), () => {
            if (this.stoppedOrPanicked) return
            this.wakeAt(clock.nowUs, false)
            this.scheduleTick()
        })
    }

    /** The VM runs at `tUs`, or when the chip is free if it is busy then (wakes coalesce). */
    private wakeAt(tUs: number, jitter: boolean) {
        const clock = this.opts.clock
        if (jitter && this.opts.vmJitterMs) tUs += Math.round(this.opts.random.uniform() * this.opts.vmJitterMs * 1000)
        tUs = Math.max(tUs, this.busyUntilUs)
        if (this.wake && !this.wake.cancelled && this.wake.atUs <= tUs) return
        clock.cancel(this.wake)
        // (a run of the VM reads no plant: what it sends and drives takes effect in later events)
        this.wake = clock.scheduleLocal(tUs, () => this.step())
    }

    /** One run of the runtime's main loop: the frames received, then every fiber that is due. */
    private step() {
        this.wake = undefined
        if (this.stoppedOrPanicked) return
        this.wakeups++
        const m = this.mod
        const startUs = this.opts.clock.nowUs
        if (this.timerDueUs !== undefined && startUs >= this.timerDueUs) {
            this.cpu.timerLate.add(startUs - this.timerDueUs)
            this.timerDueUs = undefined
        }
        const c = m.counters
        const frames = this.localInbox.length ? [...this.localInbox.splice(0), ...this.inbox.splice(0)] : this.inbox.splice(0)
        this.run = {
            startUs,
            modelled: this.started && !this.model.ideal,
            instructions: c.work(),
            f64Ops: c.f64Ops(),
            opcodes: c.opcodes(),
            work: { instructions: 0, f64Ops: 0, framesReceived: frames.length, framesSent: 0, spiTransfers: 0 },
        }
        let delayUs: number
        try {
            for (const frame of frames) {
                const ptr = m._malloc(frame.length)
                m.HEAPU8.set(frame, ptr)
                if (m._jd_em_frame_received(ptr) !== 0) this.framesDropped++
                m._free(ptr)
            }
            delayUs = m._jd_em_process()
        } catch (e) {
            const hung = e instanceof HungRun
            if (hung) this.cpu.wake(startUs, e.busyUs, countedSince(this.run.opcodes, c.opcodes()))
            this.run = undefined
            this.onPanic(hung ? HUNG_PANIC_CODE : -1, hung ? e.message : abortMessage(e as Error))
            return
        }
        const busyUs = this.runUsSoFar()
        const opcodes = countedSince(this.run.opcodes, c.opcodes())
        const sent = this.run.work.framesSent
        const modelled = this.run.modelled
        this.run = undefined
        if (this.started || this.model.ideal) this.cpu.wake(startUs, busyUs, opcodes)
        if (!this.started && c.verifies() !== this.verifiesAtBoot) {
            this.started = true
            if (!this.model.ideal && !this.tick) this.scheduleTick()
            const restart = this.restarts[this.restarts.length - 1]
            if (restart && restart.programStartUs === undefined) restart.programStartUs = startUs
        }
        this.readHeapAfterCollection()
        if (this.stoppedOrPanicked) return
        // (booted from flash, before the start: at the tick and on frames)
        if (!this.started && this.tick) return
        if (!modelled) {
            // The VM asks to be polled again in whole milliseconds (its timers are checked at each poll),
            // as a board's 1 ms tick would: polls stay on the millisecond grid, so a frame that woke the
            // VM between ticks does not shift every later timer by the fraction.
            const onGrid = delayUs >= 1000 && delayUs % 1000 === 0
            this.wakeAt(onGrid ? Math.floor(startUs / 1000) * 1000 + delayUs : startUs + Math.max(1, Math.round(delayUs)), true)
            return
        }
        // target=esp32: the chip is busy for the run; what it sent leaves at the end (jd_tx_flush),
        // and comes back through its own receive queue, which runs the loop again at once
        const endUs = startUs + busyUs
        this.busyUntilUs = endUs
        const outbox = this.outbox.splice(0)
        const epoch = this.epoch
        if (outbox.length)
            this.opts.clock.schedule(endUs, () => {
                if (epoch === this.epoch) for (const f of outbox) this.emit(f)
            })
        if (sent) this.wakeAt(endUs, false)
        // the VM's earliest timer (its max sleep is capped at 10 ms: JD_MIN_MAX_SLEEP), on the ms clock
        this.timerDueUs = delayUs < 10_000 ? Math.floor(endUs / 1000) * 1000 + delayUs : undefined
    }

    /**
     * The clock the VM reads (em_time_now): the board's time, moving on as the run works. A run that
     * has kept the chip busy for HUNG_RUN_US is stopped here: on a board it would never end (a fiber
     * that is always due again, its work longer than its period), and the stock runtime has no task
     * watchdog to reset it (CONFIG_ESP_TASK_WDT=n in devicescript-esp32's boards/sdkconfig.common).
     */
    private vmClockMs(): number {
        const run = this.run
        if (!run) return this.opts.clock.nowUs / 1000
        // (the counters are read once: this is called some ten times a run)
        const busyUs = this.runUsSoFar()
        if (busyUs > HUNG_RUN_US)
            throw new HungRun(
                busyUs,
                `board hung: one run of the runtime's main loop went on for ${(busyUs / 1e6).toFixed(2)} s of chip time ` +
                    `(a fiber always due again: its work takes longer than its period); the board stops answering`
            )
        return (run.startUs + busyUs) / 1000
    }

    /** chip time of the run in progress so far */
    private runUsSoFar(): number {
        const r = this.run!
        const c = this.mod.counters
        if (!r.modelled) return 0
        r.work.instructions = countedSince(r.instructions, c.work())
        r.work.f64Ops = countedSince(r.f64Ops, c.f64Ops())
        return this.model.runUs(r.work)
    }

    private readHeapAfterCollection() {
        const collections = this.mod.counters.collections()
        if (collections === this.collectionsSeen) return
        this.cpu.collections += countedSince(this.collectionsSeen, collections)
        this.collectionsSeen = collections
        const use = this.heapUse()
        if (use) this.cpu.heapAfterCollection(this.opts.clock.nowUs, use.usedBytes, use.totalBytes)
    }

    /** A Jacdac frame from the program: out now (ideal), or when the run ends (esp32). */
    private send(frame: Uint8Array) {
        if (this.run?.modelled) {
            this.run.work.framesSent++
            this.outbox.push(frame)
        } else this.emit(frame)
    }

    private emit(frame: Uint8Array) {
        const restart = this.restarts[this.restarts.length - 1]
        if (restart && restart.firstFrameUs === undefined) restart.firstFrameUs = this.opts.clock.nowUs
        this.opts.onFrame(frame, this)
    }

    // ds._twinMessage sends a "large frame": 0xff in the size byte, the server device id at 8,
    // the topic from 16 up to a NUL, then the data (runtime/devicescript/impl_ds.c).
    private twin(frame: Uint8Array) {
        const nul = frame.indexOf(0, 16)
        const end = nul < 0 ? frame.length : nul
        const topic = topicOf(frame.subarray(16, end))
        this.opts.onTwin?.(topic, frame.slice(end + 1), this)
    }

    // "> " lines are the program's console output; "* " and "! " lines carry exceptions and panics
    private dmesg(line: string) {
        if (process.env.HFW_DMESG) console.error(`[${this.name} ${this.opts.clock.nowMs}] ${line}`)
        this.opts.onDmesg?.(line)
        const kind = line.slice(0, 2)
        if (kind !== "> " && kind !== "* " && kind !== "! ") return
        this.recentLines.push(line)
        if (this.recentLines.length > RECENT_LINES) this.recentLines.shift()
        if (kind === "> ") this.opts.onLog?.(line.slice(2), this)
    }

    private onPanic(code: number, extra?: string) {
        if (this.panic) return
        const message = [...this.recentLines, ...(extra ? [extra] : [])].join("\n")
        this.panic = { board: this.name, code, tUs: this.opts.clock.nowUs, message }
        this.opts.clock.cancel(this.wake)
        this.opts.onPanic?.(this.panic)
    }
}

/** Device id of the servers a DeviceScript program hosts (runtime/devicescript/jdiface.c). */
export function serverDeviceIdOf(vmDeviceId: string): string {
    const mask = "f8531b75a74922db" // 0xdb2249a7751b53f8, little-endian bytes as in a frame
    let out = ""
    for (let i = 0; i < 16; i += 2)
        out += (parseInt(vmDeviceId.slice(i, i + 2), 16) ^ parseInt(mask.slice(i, i + 2), 16)).toString(16).padStart(2, "0")
    return out
}

/** what an abort of the VM's WebAssembly says, in the simulator's terms */
function abortMessage(e: Error): string {
    // (the runtime's own text advises compiler flags: the memory is the simulator's, sim/vm/counting.ts)
    if (/Cannot enlarge memory arrays/.test(e.message))
        return `VM aborted: its ${(VM_MEMORY_PAGES * 64) / 1024} MB of host memory ran out (VM_MEMORY_PAGES in sim/vm/counting.ts; not the board's heap)`
    return `VM aborted: ${e.message}`
}
