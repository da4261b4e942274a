// A simulation: one virtual clock, one seeded random source, one trace, the bus segments, the board
// VMs running their flashed bytecode, and the plants integrated between events.
import { createHash } from "node:crypto"
import { VirtualClock } from "./clock.ts"
import { Random } from "./random.ts"
import { TraceRecorder, type TraceRows } from "./trace.ts"
import { BusSegment, JACDAC_BIT_RATE_BPS } from "./bus/segment.ts"
import { createVmFactory, type DevsFactory } from "./vm/loader.ts"
import { BoardVm, type VmPanic } from "./vm/board-vm.ts"
import type { ChipId } from "./vm/chips.ts"
import type { CpuSummary } from "./vm/cpu-stats.ts"
import { chipOf } from "./firmware.ts"
import { DEFAULT_TARGET, TargetModel, type TargetOptions } from "./vm/target-model.ts"
import { LookupTally, type LookupCount } from "./vm/lookup-probe.ts"
import { OpProfile, type FunctionWork } from "./vm/op-profile.ts"

/** Something integrated by the simulation between events, in steps of at most `maxStepUs`. */
export interface Integrated {
    maxStepUs: number
    /** one step of `dtS` ending at `endUs` (the clock itself moves only after all steps) */
    step(dtS: number, endUs: number): void
}

export interface SimulationOptions {
    seed: number
    /** the boards' chip and runtime timing (default: the stock ESP32 runtime, target=esp32) */
    target?: TargetOptions
    /** each VM timer wake-up is late by a uniform 0..vmJitterMs (target=ideal) */
    vmJitterMs?: number
    /** where the trace keeps its rows (default: in memory) */
    traceRows?: TraceRows
    /** count each board's lookups by name (sim/vm/lookup-probe.ts; `--param vm.lookups=on`) */
    lookupProbe?: boolean
    /** charge each board's work to its bytecode's functions (sim/vm/op-profile.ts; `--param vm.profile=on`) */
    opProfile?: boolean
}

export interface BoardSpec {
    name: string
    /** the board's microcontroller (chipOf in firmware.ts); default: the joint board's */
    chip?: ChipId
    bytecode: Uint8Array
    /** segments the board's single Jacdac port reaches; frames it sends go to each */
    segments: BusSegment[]
    flash?: Uint8Array
    gcStress?: boolean
    /**
     * the board's local hardware link: receives the program's ds._twinMessage calls, within a run of
     * its VM (an event of the board's own: a handler that reads or changes a plant brings it up to now
     * first, with the catch-up `integrate` returned)
     */
    onTwin?: (topic: string, data: Uint8Array) => void
    /** device ids of the board's own hardware: commands to them stay on `local` */
    localDevices?: string[]
    /** the segment of the board's own hardware */
    local?: BusSegment
}

export class Simulation {
    readonly clock = new VirtualClock()
    readonly random: Random
    readonly trace: TraceRecorder
    readonly segments: BusSegment[] = []
    readonly boards: BoardVm[] = []
    readonly panics: VmPanic[] = []
    /** console output of the programs, by board */
    readonly logs: { board: string; tUs: number; line: string }[] = []
    private factory: DevsFactory
    private integrated: Integrated[] = []
    /** the time each integrated item has reached (it lags the clock by less than a grid step) */
    private integratedUs: number[] = []
    /** the finest step of all integrated items: the integration grid */
    private integrationStepUs = Infinity
    /** the last grid point every integrated item has reached */
    private gridUs = 0
    /** each board's lookups by name (lookupProbe) */
    private lookups = new Map<string, LookupTally>()
    /** each board's work by bytecode pc (opProfile) */
    private profiles = new Map<string, OpProfile>()

    get target(): TargetOptions {
        return this.opts.target ?? DEFAULT_TARGET
    }

    constructor(readonly opts: SimulationOptions) {
        this.random = new Random(opts.seed)
        this.trace = new TraceRecorder(opts.traceRows)
        const vmRandom = this.random.fork("vm-entropy")
        this.factory = createVmFactory(
            { nowMs: () => this.clock.nowMs, randomBytes: n => vmRandom.bytes(n) },
            { freeFill: this.target.freeFill !== false, lookupProbe: !!opts.lookupProbe, opProfile: !!opts.opProfile }
        )
        this.clock.onAdvance(tUs => this.integrateGridTo(tUs))
        this.clock.onEvent(() => this.integrateAllTo(this.clock.nowUs))
    }

    /** A bus segment; `timed` segments model the 1 Mbit/s Jacdac wire, others are instant. */
    addSegment(name: string, timed: boolean): BusSegment {
        const seg = new BusSegment({
            name,
            clock: this.clock,
            bitRateBps: timed ? JACDAC_BIT_RATE_BPS : undefined,
            hostDeviceId: deviceIdFor(`host/${name}`),
        })
        this.segments.push(seg)
        return seg
    }

    async addBoard(spec: BoardSpec): Promise<BoardVm> {
        if (this.boards.some(b => b.name === spec.name)) throw new Error(`board '${spec.name}' added twice`)
        // (the stress mode's heap validation reads the fill: a runtime without it would fail it)
        if (spec.gcStress && this.target.freeFill === false) throw new Error(`board '${spec.name}': GC stress needs the stock runtime's free-block fill (runtime.freeFill=on)`)
        let senders: ((frame: Uint8Array) => void)[] = []
        let route = (_frame: Uint8Array) => {}
        const vm = await BoardVm.start(this.factory, {
            name: spec.name,
            deviceId: deviceIdFor(spec.name),
            bytecode: spec.bytecode,
            clock: this.clock,
            random: this.random.fork(`jitter/${spec.name}`),
            model: new TargetModel(spec.chip ?? chipOf("joint"), this.target),
            vmJitterMs: this.opts.vmJitterMs,
            flash: spec.flash,
            gcStress: spec.gcStress,
            lookups: this.lookupTally(spec.name),
            profile: this.opProfile(spec.name, spec.bytecode),
            onFrame: frame => route(frame),
            onTwin: (topic, data) => spec.onTwin?.(topic, data),
            onLog: line => this.logs.push({ board: spec.name, tUs: this.clock.nowUs, line }),
            onPanic: p => this.panics.push(p),
        })
        senders = spec.segments.map(s => s.attach(vm))
        // A command to the board's own hardware stays on its local segment, off the shared bus. The
        // board's reports (its telemetry, events, announces) go to the shared segments only: on a
        // board the chips on its SPI bus do not listen to Jacdac, and the host's bus on the local
        // segment would decode each one for no one.
        const localIds = new Set(spec.localDevices ?? [])
        const localSend = spec.local ? senders[spec.segments.indexOf(spec.local)] : undefined
        const sharedSenders = senders.filter(send => send !== localSend)
        route = (frame: Uint8Array) => {
            if (!isCommand(frame)) sharedSenders.forEach(send => send(frame))
            else if (localSend && localIds.has(frameDeviceId(frame))) localSend(frame)
            else senders.forEach(send => send(frame))
        }
        // let the new board hear every device at once rather than at the next periodic announce,
        // so its roles bind when the program starts instead of about a second later
        spec.segments.forEach(s => s.announce())
        vm.onPowerUp(() => spec.segments.forEach(s => s.announce()))
        this.boards.push(vm)
        return vm
    }

    /**
     * `item` is stepped with every other integrated item, in lockstep, on the grid of the finest step
     * of all, and up to an event's time before the event runs (clock.onEvent). An event scheduled
     * with clock.scheduleLocal does not bring the items up: its code calls the function returned here
     * before it reads or changes this item's state, which steps this item alone up to now.
     */
    integrate(item: Integrated): () => void {
        const i = this.integrated.length
        this.integrated.push(item)
        this.integratedUs.push(this.clock.nowUs)
        this.integrationStepUs = Math.min(this.integrationStepUs, item.maxStepUs)
        return () => this.stepItemTo(i, this.clock.nowUs)
    }

    /** each board's lookups by name so far, the most first (only with lookupProbe) */
    lookupCounts(limit: number): Record<string, LookupCount[]> {
        return Object.fromEntries([...this.lookups].map(([board, tally]) => [board, tally.counts(limit)]))
    }

    /** each board's counted work by its bytecode's functions so far, the most first (only with opProfile) */
    profileCounts(limit: number): Record<string, FunctionWork[]> {
        return Object.fromEntries(this.boards.flatMap(b => {
            const profile = this.profiles.get(b.name)
            if (!profile) return []
            profile.charge(b.counters.work())
            return [[b.name, profile.functions(limit)]]
        }))
    }

    private opProfile(board: string, bytecode: Uint8Array): OpProfile | undefined {
        if (!this.opts.opProfile) return undefined
        const profile = new OpProfile(bytecode)
        this.profiles.set(board, profile)
        return profile
    }

    private lookupTally(board: string): LookupTally | undefined {
        if (!this.opts.lookupProbe) return undefined
        const tally = new LookupTally()
        this.lookups.set(board, tally)
        return tally
    }

    /** each board's chip time so far (the `cpu` of `hfw sim --json`) */
    cpuSummaries(): CpuSummary[] {
        return this.boards.map(b => {
            // a board that never collected: its heap in use now (garbage included) is the bound there is
            if (!b.cpu.collections && !b.stoppedOrPanicked) b.cpu.heapHighWaterBytes = b.heapUse()?.usedBytes ?? 0
            return b.cpu.summary(this.clock.nowUs)
        })
    }

    async run(durationS: number, onProgress?: (tUs: number) => void) {
        await this.clock.runUntil(this.clock.nowUs + Math.round(durationS * 1e6), onProgress)
        this.integrateAllTo(this.clock.nowUs)
    }

    async stop() {
        for (const b of this.boards) b.stop()
        for (const s of this.segments) await s.stop()
    }

    /** every item through each grid point up to tUs (the clock is about to move to tUs) */
    private integrateGridTo(tUs: number) {
        const stepUs = this.integrationStepUs
        if (stepUs === Infinity) return
        const n = this.integrated.length
        for (;;) {
            const gridUs = (Math.floor(this.gridUs / stepUs) + 1) * stepUs
            if (gridUs > tUs) break
            for (let i = 0; i < n; i++) this.stepItemTo(i, gridUs)
            this.gridUs = gridUs
        }
    }

    private integrateAllTo(tUs: number) {
        this.integrateGridTo(tUs)
        for (let i = 0; i < this.integrated.length; i++) this.stepItemTo(i, tUs)
    }

    /** item `i` from where it is up to `endUs` in one step (the grid's, or shorter: an event between grid points) */
    private stepItemTo(i: number, endUs: number) {
        const dtUs = endUs - this.integratedUs[i]
        if (dtUs <= 0) return
        this.integratedUs[i] = endUs
        this.integrated[i].step(dtUs / 1e6, endUs)
    }
}

const isCommand = (frame: Uint8Array) => (frame[3] & 0x01) !== 0
const frameDeviceId = (frame: Uint8Array) => Buffer.from(frame.buffer, frame.byteOffset + 4, 8).toString("hex")

/** A stable 64-bit Jacdac device id (16 hex digits) derived from a name. */
export function deviceIdFor(name: string): string {
    return createHash("sha256").update(name).digest("hex").slice(0, 16)
}
