// The simulator's side of a board's own hardware link. On a real board the firmware reads its chips
// over SPI when it wants a sample; here it asks with ds._twinMessage("<prefix>/sample") and the
// sample comes straight back, in the same instant, as a report of the board's custom hardware
// service (a `_sensor` whose `reading` is the sample) on the board's local segment. Reports coming
// into a VM are not throttled; only what a program sends is.
import { JDServerServiceProvider, JDServiceServer, type PackedValues } from "jacdac-ts"
import type { BusSegment } from "../bus/segment.ts"
import { customService } from "../services.ts"
import { deviceIdFor } from "../simulation.ts"

export interface SampledLinkOptions {
    /** board name; the hardware device id derives from it */
    board: string
    segment: BusSegment
    /** shortId of the hardware service in services/, e.g. "jointpowerstage" */
    service: string
    /** twin topic prefix, e.g. "jps": handles "<prefix>/sample" */
    topicPrefix: string
    /** the sample's fields, in the order of the service's reading; undefined: the hardware is silent */
    sample: () => PackedValues | undefined
}

const SENSOR_READING_REG = 0x101

export class SampledLink {
    readonly server: JDServiceServer
    samples = 0
    private readonly reading
    private readonly sampleTopic: string

    constructor(readonly opts: SampledLinkOptions) {
        const spec = customService(opts.service)
        this.server = new JDServiceServer(spec.classIdentifier)
        this.reading = this.server.addRegister<PackedValues>(SENSOR_READING_REG)
        this.sampleTopic = `${opts.topicPrefix}/sample`
        opts.segment.bus.addServiceProvider(
            new JDServerServiceProvider(`${opts.board}-hw`, [this.server], { deviceId: deviceIdFor(`${opts.board}/hw`) })
        )
    }

    /** Handles a twin message; true when it was this link's. */
    handleTwin(topic: string): boolean {
        if (topic !== this.sampleTopic) return false
        const values = this.opts.sample()
        if (values === undefined) return true
        this.samples++
        this.reading.setValues(values, true)
        void this.reading.sendGetAsync()
        return true
    }
}
