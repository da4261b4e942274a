// How a board's program takes the commands the bus brings its servers (@devicescript/server). Two
// things the library does not do, both found by sending the boards garbage frames (sim garbage):
//
// - The runtime calls the handler with no packet at all when the packet's service index byte is 0xff
//   or its heap had no room to copy the packet (devs_jd_pkt_capture in the runtime's jdiface.c). The
//   library's handler then reads a field of undefined: an unhandled exception, and the VM stops. One
//   such frame from anyone on the bus stopped a joint or a foot for good.
// - The library handles each command in its own fiber, and its replies (a not-implemented report for
//   an unknown command, say) wait on the send budget of ~50 packets a second: a flood of commands
//   would pile up fibers until the VM runs out of memory (found by the joint's 10,000-command test).
//   Bounding the fibers was not enough: eight replies always waiting took the whole send budget, the
//   board's own telemetry and events waited behind them, and what waited (event queues, the library's
//   announce fibers) filled the heap within 20 s of garbage. So the commands the library answers (a
//   register read, an action with a report, anything it has no handler for) are also limited in rate,
//   to what leaves the budget room for the board's own reports; commands it does not answer (a
//   current setpoint, enable, clear, a register write) are not.
import * as ds from "@devicescript/core"
import type { Server } from "@devicescript/server"
import { millis } from "./runtime"

/** a command handled straight away, not through the library's dispatch by name */
export interface DirectCommand {
    serviceIndex: number
    code: number
    handle(pkt: ds.Packet): Promise<void>
}

/** at most this many incoming commands are handled at once; more are dropped (a full receive queue) */
export const MAX_COMMANDS_IN_FLIGHT = 8
/**
 * Commands the library answers, at most this many a second on average (bursts up to
 * MAX_COMMANDS_IN_FLIGHT): about half the runtime's ~50 packets a second, the telemetry's 25 reports
 * the other half. (15 a second kept more telemetry under garbage but slowed `hfw bench`'s capture
 * read-out until its calibration round trip failed.)
 */
export const MAX_ANSWERED_PER_S = 25

/**
 * true when the library will answer `pkt` to server `s` (undefined: the control service, which
 * answers): a register read, an action with a report, and anything it has no handler for (a
 * not-implemented report); not an action without a report, nor a write of a register with a setter
 */
function answered(pkt: ds.Packet, s: ds.ServerInterface): boolean {
    if (s === undefined) return true
    s.spec.assign(pkt)
    const spec = pkt.spec
    if (!spec) return true
    if (pkt.isRegSet) return typeof (s as any)["set_" + spec.name] !== "function"
    return !pkt.isAction || !!spec.response
}

/**
 * Routes the board's incoming commands to `servers` (each started): the `direct` ones at once, the
 * rest through the library's dispatch, at most MAX_COMMANDS_IN_FLIGHT at a time and, of those it
 * answers, MAX_ANSWERED_PER_S. Call after the servers are started.
 */
export function routeServerPackets(servers: Server[], direct: DirectCommand[]) {
    // the library reads each server's `debug` at every packet in and out: set, it is found at once
    // (unset, the name is compared with each of the server's fields as a string first)
    for (const s of servers) s.debug = false
    const hooks = ds as any as { _onServerPacket: (pkt: ds.Packet) => Promise<void> }
    const handle = hooks._onServerPacket
    let inFlight = 0
    // a token bucket: MAX_ANSWERED_PER_S tokens a second, at most MAX_COMMANDS_IN_FLIGHT kept
    let tokens = MAX_COMMANDS_IN_FLIGHT
    let filledMs = millis()
    hooks._onServerPacket = async (pkt: ds.Packet) => {
        if (!pkt) return
        for (const d of direct)
            if (pkt.serviceCommand === d.code && pkt.serviceIndex === d.serviceIndex) {
                await d.handle(pkt)
                return
            }
        if (inFlight >= MAX_COMMANDS_IN_FLIGHT) return
        if (pkt.isReport) return // (as the library does)
        let server: Server = undefined
        for (const s of servers) if (s.serviceIndex === pkt.serviceIndex) server = s
        if (server === undefined && pkt.serviceIndex !== 0) return // no such service (the library ignores it too)
        if (answered(pkt, server)) {
            const nowMs = millis()
            tokens = Math.min(MAX_COMMANDS_IN_FLIGHT, tokens + ((nowMs - filledMs) * MAX_ANSWERED_PER_S) / 1000)
            filledMs = nowMs
            if (tokens < 1) return
            tokens--
        }
        inFlight++
        try {
            await handle(pkt)
        } finally {
            inFlight--
        }
    }
}
