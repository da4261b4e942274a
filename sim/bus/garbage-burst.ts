// A burst of garbage on a board's bus: the seeded frames of garbage-frames.ts at a nominal rate, and
// replays of one valid command of its controller, sent as a sender on a Jacdac wire sends them (it
// waits while the wire is busy: what it has queued is never more than a few frames). Used by the
// garbage scenario (100 000 frames) and the faults scenario's "garbage frames" row (a few thousand).
import type { JDFrameBuffer } from "jacdac-ts"
import type { VirtualClock } from "../clock.ts"
import type { Random } from "../random.ts"
import type { BusSegment } from "./segment.ts"
import { GarbageFrames, commandFrame, type CommandPacket, type GarbageKind } from "./garbage-frames.ts"

/** the garbage's sender on the bus, and how much of its wire time it may have queued */
const SENDER = "garbage"
const MAX_QUEUED_US = 2_000

/** the control service's reset: it restarts the program, as it should; garbage leaves it out */
const CONTROL_RESET = 0x82
export const isControlReset = (serviceIndex: number, command: number) => (serviceIndex & 0x3f) === 0 && command === CONTROL_RESET

export interface GarbageBurstOptions {
    segment: BusSegment
    random: Random
    /** the board program's device id (its servers) */
    deviceId: string
    /** valid commands of the board's controller (the garbage mutates them), read when the burst starts */
    templates: CommandPacket[]
    /** commands the garbage must not carry */
    excluded?: (serviceIndex: number, command: number) => boolean
    /** garbage frames a second (random and mutated) */
    garbageHz: number
    /** the command replayed every `replayPeriodUs` */
    replayed: () => CommandPacket
    replayPeriodUs: number
    /** the burst ends once this many frames (garbage and replays together) are sent, or at `untilUs` */
    frames: number
    untilUs: number
    /** called once, at the time of the last frame */
    onEnd(endUs: number): void
}

export interface GarbageBurst {
    /** frames sent, by kind */
    readonly sent: Record<GarbageKind | "replay", number>
    /** when the last frame was sent (NaN while the burst goes on) */
    readonly endUs: number
}

/** Starts the burst now. */
export function garbageBurst(clock: VirtualClock, o: GarbageBurstOptions): GarbageBurst {
    const startUs = clock.nowUs
    const sent: Record<GarbageKind | "replay", number> = { random: 0, mutated: 0, replay: 0 }
    const state = { sent, endUs: NaN }
    const injected = () => sent.random + sent.mutated + sent.replay
    const over = () => {
        if (!Number.isNaN(state.endUs)) return true
        if (injected() < o.frames && clock.nowUs < o.untilUs) return false
        state.endUs = clock.nowUs
        o.onEnd(state.endUs)
        return true
    }
    const inject = (frame: Uint8Array, liesAboutSize = false) => {
        const f = frame as JDFrameBuffer
        f._jacdac_sender = SENDER
        // (jacdac-ts prints a warning for each frame whose packet claims more than the frame holds:
        // those reach the boards only, after the same time on the wire)
        if (liesAboutSize) o.segment.sendToBoards(f)
        else void o.segment.bus.sendFrameAsync(f)
    }
    const garbage = new GarbageFrames(o.random, { deviceId: o.deviceId, templates: o.templates, excluded: o.excluded })
    const periodUs = 1e6 / o.garbageHz
    let k = 0
    const next = () => {
        if (over()) return
        const queuedUs = o.segment.queuedUsOf(SENDER)
        if (queuedUs > MAX_QUEUED_US) {
            clock.after(queuedUs - MAX_QUEUED_US, next)
            return
        }
        const g = garbage.next()
        sent[g.kind]++
        inject(g.frame, g.liesAboutSize)
        k++
        clock.schedule(Math.max(clock.nowUs, startUs + Math.round(k * periodUs)), next)
    }
    next()
    const replay = () => {
        if (over()) return
        // (a replay the wire has no room for is skipped, as a sender's full queue drops it)
        if (o.segment.queuedUsOf(SENDER) <= MAX_QUEUED_US) {
            sent.replay++
            inject(commandFrame(o.deviceId, [o.replayed()]))
        }
        clock.after(o.replayPeriodUs, replay)
    }
    replay()
    return state
}
