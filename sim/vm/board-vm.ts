// One board's DeviceScript VM, stepped by the virtual clock: it wakes when the VM asks to (plus the
// seeded wake-up jitter a real microcontroller shows), and whenever a frame arrives for it.
import type { VirtualClock, TimerHandle } from "../clock.ts"
import type { Random } from "../random.ts"
import type { DevsFactory, DevsModule } from "./loader.ts"

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
    /** each timer wake-up is late by a uniform 0..vmJitterMs */
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
    /** flash contents at power-up (settings, deployed program); kept across the run in `flash` */
    flash?: Uint8Array
}

const RECENT_LINES = 8

const isLargeFrame = (frame: Uint8Array) => frame[2] === 0xff

export class BoardVm {
    readonly name: string
    readonly deviceId: string
    panic: VmPanic | undefined
    /** times the VM stepped (wake-ups) */
    wakeups = 0
    flash: Uint8Array
    private mod!: DevsModule
    private wake: TimerHandle | undefined
    private recentLines: string[] = []
    private inbox: Uint8Array[] = []
    private stopped = false

    private constructor(private opts: BoardVmOptions) {
        this.name = opts.name
        this.deviceId = opts.deviceId
        this.flash = opts.flash ?? new Uint8Array(0)
    }

    static async start(factory: DevsFactory, opts: BoardVmOptions): Promise<BoardVm> {
        const vm = new BoardVm(opts)
        await vm.boot(factory)
        return vm
    }

    get stoppedOrPanicked() {
        return this.stopped || !!this.panic
    }

    /**
     * A frame from the bus: queued like the receive interrupt of a real board does, and handed to the
     * VM when it next runs, which is at once. (Never re-enters the VM while it is sending.)
     */
    receive(frame: Uint8Array) {
        if (this.stoppedOrPanicked) return
        this.inbox.push(frame)
        // Observed: a VM woken by a frame between its boot and its program's start (10 ms later)
        // starts the program at that moment and the program never runs a timer. A board's receive
        // interrupt is not serviced before its runtime is up either, so frames wait for the start.
        if (this.wakeups >= 2) this.wakeAt(this.opts.clock.nowUs, false)
    }

    stop() {
        this.stopped = true
        this.opts.clock.cancel(this.wake)
    }

    private async boot(factory: DevsFactory) {
        const m = await factory({})
        this.mod = m
        m.dmesg = line => this.dmesg(line)
        m.panicHandler = code => this.onPanic(code)
        m.deployHandler = () => {}
        m.sendPacket = frame => (isLargeFrame(frame) ? this.twin(frame) : this.opts.onFrame(frame, this))
        m.flashLoad = () => this.flash
        m.flashSave = data => {
            this.flash = data
        }
        m.devsSetDeviceId(this.opts.deviceId)
        m.devsGcStress(!!this.opts.gcStress)
        m.devsInit()
        const rc = m.devsDeploy(this.opts.bytecode)
        if (rc !== 0) throw new Error(`${this.name}: the VM refused the bytecode (devsDeploy returned ${rc})`)
        this.wakeAt(this.opts.clock.nowUs, false)
    }

    private wakeAt(tUs: number, jitter: boolean) {
        const clock = this.opts.clock
        if (jitter && this.opts.vmJitterMs) tUs += Math.round(this.opts.random.uniform() * this.opts.vmJitterMs * 1000)
        if (this.wake && !this.wake.cancelled && this.wake.atUs <= tUs) return
        clock.cancel(this.wake)
        this.wake = clock.schedule(tUs, () => this.step())
    }

    private step() {
        this.wake = undefined
        if (this.stoppedOrPanicked) return
        this.wakeups++
        let delayUs: number
        try {
            const m = this.mod
            for (const frame of this.inbox.splice(0)) {
                const ptr = m._malloc(frame.length)
                m.HEAPU8.set(frame, ptr)
                m._jd_em_frame_received(ptr)
                m._free(ptr)
            }
            delayUs = m._jd_em_process()
        } catch (e) {
            this.onPanic(-1, `VM aborted: ${(e as Error).message}`)
            return
        }
        if (this.stoppedOrPanicked) return
        // The VM asks to be polled again in whole milliseconds (its timers are checked at each poll), as
        // a board's 1 ms tick would: polls stay on the millisecond grid, so a frame that woke the VM
        // between ticks does not shift every later timer by the fraction.
        const nowUs = this.opts.clock.nowUs
        const onGrid = delayUs >= 1000 && delayUs % 1000 === 0
        this.wakeAt(onGrid ? Math.floor(nowUs / 1000) * 1000 + delayUs : nowUs + Math.max(1, Math.round(delayUs)), true)
    }

    // ds._twinMessage sends a "large frame": 0xff in the size byte, the server device id at 8,
    // the topic from 16 up to a NUL, then the data (runtime/devicescript/impl_ds.c).
    private twin(frame: Uint8Array) {
        const nul = frame.indexOf(0, 16)
        const end = nul < 0 ? frame.length : nul
        const topic = new TextDecoder().decode(frame.subarray(16, end))
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
