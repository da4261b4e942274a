// One Jacdac bus segment: a jacdac-ts bus on the virtual clock, the VMs bridged onto it, and the
// medium's timing. On a timed segment every frame occupies the single wire for its transmission time
// and waits while the wire is busy, so overload shows up as latency; a board's local segment (its
// own hardware, reached over SPI on the real board) is instant.
import { BusInteractionMode, JDBridge, JDBus, SELF_ANNOUNCE, crc, type JDFrameBuffer } from "jacdac-ts"
import type { VirtualClock } from "../clock.ts"
import type { BoardVm } from "../vm/board-vm.ts"
import { VirtualBusScheduler } from "./scheduler.ts"
import { addToWindows } from "../numbers.ts"
import "./quiet-asserts.ts"

/** Jacdac: 1 Mbit/s, 10 bits per byte on the wire (start, 8 data, stop). */
export const JACDAC_BIT_RATE_BPS = 1_000_000
/** break, start gap and inter-frame spacing around each frame (Jacdac physical layer, rounded up) */
export const JACDAC_FRAME_OVERHEAD_US = 60
export const FRAME_HEADER_BYTES = 12
/** a frame's payload: at least one packet header, at most 240 bytes (a frame is at most 252) */
const PACKET_HEADER_BYTES = 4
const MAX_FRAME_PAYLOAD_BYTES = 240

export function frameBytes(frame: Uint8Array) {
    return FRAME_HEADER_BYTES + frame[2]
}

/**
 * What is wrong with `frame` as a Jacdac frame on a wire, or undefined when nothing is: shorter than
 * a frame header, a size byte that disagrees with its length, an empty or oversized payload, a CRC
 * that does not match.
 */
export function wireFrameProblem(frame: Uint8Array): string | undefined {
    if (frame.length < FRAME_HEADER_BYTES) return `${frame.length} bytes, shorter than a Jacdac frame header (${FRAME_HEADER_BYTES} bytes)`
    const size = frame[2]
    if (size > MAX_FRAME_PAYLOAD_BYTES) return `its size byte says ${size} bytes of packets, more than a frame carries (${MAX_FRAME_PAYLOAD_BYTES})`
    if (size < PACKET_HEADER_BYTES) return `its size byte says ${size} bytes of packets, less than one packet header (${PACKET_HEADER_BYTES})`
    if (frame.length !== FRAME_HEADER_BYTES + size) return `${frame.length} bytes, but its size byte says ${FRAME_HEADER_BYTES + size}`
    const want = crc(frame.subarray(2))
    const got = frame[0] | (frame[1] << 8)
    if (got !== want) return `CRC 0x${got.toString(16).padStart(4, "0")}, computed 0x${want.toString(16).padStart(4, "0")}`
    return undefined
}

export interface SegmentOptions {
    name: string
    clock: VirtualClock
    /** bits per second on the wire; omit for an instant (board-local) segment */
    bitRateBps?: number
    /** the host's own device id on this bus */
    hostDeviceId: string
    /** width of the windows busLoad is reported in */
    loadWindowUs?: number
}

class VmBridge extends JDBridge {
    /** the board's connection to this segment is broken (fault injection) */
    cut = false
    /** `local`: the segment is the board's own hardware (instant, untimed) */
    constructor(
        readonly vm: BoardVm,
        private local: boolean
    ) {
        super(vm.name, false)
    }
    protected sendPacket(data: Uint8Array): void {
        if (!this.cut) this.vm.receive(data, this.local)
    }
}

export class BusSegment {
    readonly name: string
    readonly bus: JDBus
    /** wire time used, microseconds */
    busyUs = 0
    frames = 0
    bytes = 0
    /** frames that were not Jacdac frames (wireFrameProblem), dropped before the wire */
    malformedDropped = 0
    /** wire time used in each load window, microseconds */
    readonly windowBusyUs: number[] = []
    readonly loadWindowUs: number
    private wireFreeAtUs = 0
    private bridges = new Map<BoardVm, VmBridge>()
    /**
     * called as each frame is handed to the wire, with when the wire starts and ends carrying it (a
     * scenario timing what a board did apart from the bus's queue and wire time)
     */
    readonly onCarry: ((frame: JDFrameBuffer, startUs: number, endUs: number) => void)[] = []
    /** wire time of each sender's frames not yet carried, microseconds */
    private queuedUsBySender = new Map<string, number>()

    constructor(private opts: SegmentOptions) {
        this.name = opts.name
        this.loadWindowUs = opts.loadWindowUs ?? 100_000
        this.bus = new JDBus([], {
            scheduler: new VirtualBusScheduler(opts.clock),
            deviceId: opts.hostDeviceId,
            disableRoleManager: true,
        })
        if (opts.bitRateBps) this.timeTheWire(opts.bitRateBps)
        // A board's own hardware (an instant segment) has no Jacdac host: its devices answer, but
        // nothing there asks the board for its firmware's details or polls its registers, as
        // jacdac-ts' bus does on its own when active.
        else this.bus.interactionMode = BusInteractionMode.Observer
    }

    /** true when the wire's time is modelled (a Jacdac bus, not a board's local hardware) */
    get timed() {
        return !!this.opts.bitRateBps
    }

    /** Puts `vm` on this segment; frames it sends go through `send`. */
    attach(vm: BoardVm): (frame: Uint8Array) => void {
        const bridge = new VmBridge(vm, !this.timed)
        bridge.bus = this.bus
        this.bridges.set(vm, bridge)
        return frame => bridge.cut || bridge.receiveFrameOrPacket(frame.slice() as JDFrameBuffer)
    }

    /** breaks (or restores) `vm`'s connection to this segment, both ways */
    setCut(vm: BoardVm, cut: boolean) {
        const b = this.bridges.get(vm)
        if (!b) throw new Error(`${vm.name} is not on segment ${this.name}`)
        b.cut = cut
    }

    /**
     * Wire time of the frames `sender` (a bridge's id) has handed the segment that the wire has not
     * carried yet, microseconds; 0 on an instant segment.
     */
    queuedUsOf(sender: string) {
        return this.queuedUsBySender.get(sender) ?? 0
    }

    /** every host device on this segment announces itself now */
    announce() {
        this.bus.emit(SELF_ANNOUNCE)
    }

    /** load of the wire since the start, percent */
    loadPct(elapsedUs: number) {
        return elapsedUs > 0 ? (100 * this.busyUs) / elapsedUs : 0
    }

    /** highest load of any full window, percent */
    peakWindowLoadPct() {
        return this.windowBusyUs.reduce((m, b) => Math.max(m, (100 * b) / this.loadWindowUs), 0)
    }

    async stop() {
        for (const b of this.bridges.values()) (b as { bus: JDBus | undefined }).bus = undefined
        await this.bus.stop()
    }

    /**
     * A frame that only the boards on this segment take in, after the same time on the wire as any
     * frame; the host's bus does not decode it (garbage: jacdac-ts prints a warning for each frame
     * whose packet claims more than the frame holds).
     */
    sendToBoards(frame: JDFrameBuffer) {
        const toBoards = () => {
            for (const b of this.bridges.values()) if (!b.cut) b.vm.receive(frame.slice())
        }
        if (this.opts.bitRateBps) this.carry(frame, this.opts.bitRateBps, toBoards)
        else toBoards()
    }

    // Every frame sent on the bus (by a host server or client, or coming in through a VM's bridge)
    // passes through sendFrameAsync: hold it until the wire has carried it.
    private timeTheWire(bitRateBps: number) {
        const bus = this.bus
        const deliver = bus.sendFrameAsync.bind(bus)
        bus.sendFrameAsync = async (frame: JDFrameBuffer) => this.carry(frame, bitRateBps, () => void deliver(frame))
    }

    /** `frame` takes the wire when it is free; `deliver` runs when the wire has carried it */
    private carry(frame: JDFrameBuffer, bitRateBps: number, deliver: () => void) {
        // a frame the wire could not carry (its size unreadable) is dropped here; the TCP server
        // says so to whoever sent it
        if (wireFrameProblem(frame)) {
            this.malformedDropped++
            return
        }
        const clock = this.opts.clock
        const n = frameBytes(frame)
        const txUs = Math.ceil((n * 10 * 1e6) / bitRateBps) + JACDAC_FRAME_OVERHEAD_US
        const startUs = Math.max(clock.nowUs, this.wireFreeAtUs)
        this.wireFreeAtUs = startUs + txUs
        for (const hook of this.onCarry) hook(frame, startUs, this.wireFreeAtUs)
        this.account(startUs, txUs)
        this.frames++
        this.bytes += n
        const sender = frame._jacdac_sender
        if (sender) this.queuedUsBySender.set(sender, this.queuedUsOf(sender) + txUs)
        clock.schedule(this.wireFreeAtUs, () => {
            if (sender) {
                const left = this.queuedUsOf(sender) - txUs
                if (left > 0) this.queuedUsBySender.set(sender, left)
                else this.queuedUsBySender.delete(sender)
            }
            deliver()
        })
    }

    private account(startUs: number, txUs: number) {
        this.busyUs += txUs
        addToWindows(this.windowBusyUs, this.loadWindowUs, startUs, txUs)
    }
}
