// A server's events, sent on a fiber of their own and at most one at a time. The server library's
// sendEvent queues every event's three sends (0, 20 and 70 ms) on one worker with no bound: with the
// send budget taken (a flood of commands, each fault cleared by garbage and raised again) the queue
// grew until the heap ran out (found by sim garbage). An event raised while the last one is still
// being sent is dropped: what it reports stays readable (the fault register, the telemetry).
import * as ds from "@devicescript/core"
import type { Server } from "@devicescript/server"

/** the server library's send to "service" 0x100: prepares a packet as an event (its counter) */
interface DsServer {
    _serverSend(serviceIndex: number, pkt: ds.Packet): Promise<void>
}
const EVENT_PREP = 0x100
/** an event's repeats: Jacdac sends an event three times, at 0, 20 and 70 ms (the library's timing) */
const REPEAT_WAITS_MS = [20, 50]

export class BoundedEvents {
    private sending = false

    constructor(private server: Server) {}

    /** sends `pkt` as an event of the server, unless one is being sent; false when dropped */
    raise(pkt: ds.Packet): boolean {
        if (this.sending) return false
        this.sending = true
        // (a closure the compiler inlines cannot use `this`)
        const self = this
        const server = this.server
        const send = async () => {
            try {
                await (ds as unknown as DsServer)._serverSend(EVENT_PREP, pkt)
                await server._send(pkt)
                for (const waitMs of REPEAT_WAITS_MS) {
                    await ds.sleep(waitMs)
                    await server._send(pkt)
                }
            } finally {
                self.sending = false
            }
        }
        send.start()
        return true
    }
}
