// The simulator's side of a board's own hardware link. On a real board the firmware reads its chips
// over SPI when it wants a sample; here it asks with ds._twinMessage("<prefix>/sample") and the
// sample comes back as a report of the board's custom hardware service (a `_sensor` whose `reading`
// is the sample). Reports coming into a VM are not throttled; only what a program sends is.
//
// Under the target timing model the request is the SPI transfer the board's hardware path makes
// (`transfer`): the chips are read when its bits move, and the report arrives when its completion
// would wake the board; the sample is stamped with the board's own clock, since its boot and at its
// resolution (whole milliseconds: the hardware path stamps samples with ds.millis(), which starts
// from 0 at every boot). With target=ideal it comes back in the same instant, stamped in microseconds.
//
// The hardware device is a jacdac-ts server on the board's local segment, so the program's role
// binds to it as to any device. The sample reports themselves, one per control period, are framed
// here and handed straight to the board's VM: that wire is the board's own SPI bus, with no one else
// on it, and skipping the bus' bookkeeping for them is most of what the simulator spends per period.
import { crc, JDServerServiceProvider, JDServiceServer } from "jacdac-ts"
import type { BusSegment } from "../bus/segment.ts"
import { customService } from "../services.ts"
import { deviceIdFor } from "../simulation.ts"
import type { BoardVm } from "../vm/board-vm.ts"
import type { SpiTransfer } from "../vm/target-model.ts"
import { FixedPacker } from "../pack-format.ts"

export interface SampledLinkOptions {
    /** board name; the hardware device id derives from it */
    board: string
    segment: BusSegment
    /** shortId of the hardware service in services/, e.g. "jointpowerstage" */
    service: string
    /** twin topic prefix, e.g. "jps": handles "<prefix>/sample" */
    topicPrefix: string
    /** what the board's hardware path moves over SPI for one sample */
    transfer: SpiTransfer
    /**
     * the sample's fields, in the order of the service's reading, taken now and stamped `stampUs` (the
     * board's clock when the program asked); undefined: the hardware is silent
     */
    sample: (stampUs: number) => readonly number[] | undefined
}

const CMD_GET_READING = 0x1101
const FRAME_HEADER = 12
const PACKET_HEADER = 4

export class SampledLink {
    readonly server: JDServiceServer
    readonly deviceId: string
    samples = 0
    /** the board whose hardware this is (set once its VM runs) */
    vm: BoardVm | undefined
    private readonly sampleTopic: string
    private readonly reading: FixedPacker
    private readonly payloadBytes: number
    /** the device id as it stands in a frame's header (little-endian 64-bit: the hex string's bytes in order) */
    private readonly deviceIdBytes: Uint8Array

    constructor(readonly opts: SampledLinkOptions) {
        const spec = customService(opts.service)
        this.server = new JDServiceServer(spec.classIdentifier)
        this.sampleTopic = `${opts.topicPrefix}/sample`
        this.deviceId = deviceIdFor(`${opts.board}/hw`)
        this.deviceIdBytes = Buffer.from(this.deviceId, "hex")
        opts.segment.bus.addServiceProvider(new JDServerServiceProvider(`${opts.board}-hw`, [this.server], { deviceId: this.deviceId }))
        const reading = spec.packets.find(p => p.identifier === 0x101 && p.kind === "ro")
        this.reading = new FixedPacker(reading?.packFormat ?? "", `services/${opts.service}.md reading`)
        if (this.reading.rowBytes) throw new Error(`services/${opts.service}.md: a sample's reading has no repeated fields`)
        this.payloadBytes = this.reading.bytes()
    }

    /** Handles a twin message; true when it was this link's. */
    handleTwin(topic: string): boolean {
        if (topic !== this.sampleTopic) return false
        const vm = this.vm
        if (!vm) return true
        vm.cpu.periodStarted(vm.nowUs)
        const stampUs = vm.boardClockUs()
        let frame: Uint8Array | undefined
        vm.spiTransfer(
            this.opts.transfer,
            () => {
                const values = this.opts.sample(stampUs)
                if (values === undefined) return
                this.samples++
                frame = this.frame(values)
            },
            () => frame && vm.receive(frame, true)
        )
        return true
    }

    private frame(values: readonly number[]): Uint8Array {
        const packetBytes = PACKET_HEADER + this.payloadBytes
        const frame = new Uint8Array(FRAME_HEADER + ((packetBytes + 3) & ~3))
        const view = new DataView(frame.buffer)
        frame[2] = frame.length - FRAME_HEADER
        frame[3] = 0 // a report
        frame.set(this.deviceIdBytes, 4)
        frame[12] = this.payloadBytes
        frame[13] = this.server.serviceIndex
        view.setUint16(14, CMD_GET_READING, true)
        this.reading.write(view, FRAME_HEADER + PACKET_HEADER, values)
        view.setUint16(0, crc(frame.subarray(2)), true)
        return frame
    }
}
