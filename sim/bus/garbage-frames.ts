// Garbage for one board's Jacdac services, from a seeded random stream (issue 17, case 5: noise on the
// bus that passes the CRC). Every frame is a well-formed Jacdac frame with a valid CRC, addressed to
// the board's program (its servers' device); what it carries is random or a valid command of the
// board's controller mutated: another service index or command code, a truncated or oversized
// payload, out-of-range, NaN or infinite f32 fields, flipped bits, an ACK request, several packets in
// one frame, a packet whose size byte claims more than the frame holds. The same seed gives the same
// frames, so a failure is reproduced from its seed.
import { crc } from "jacdac-ts"
import type { Random } from "../random.ts"
import { FRAME_HEADER_BYTES } from "./segment.ts"

/** a command as the board's controller sends it: the packet's service index, command code and payload */
export interface CommandPacket {
    serviceIndex: number
    command: number
    payload: Uint8Array
}

export type GarbageKind = "random" | "mutated"

export interface GarbageFrame {
    frame: Uint8Array
    kind: GarbageKind
    /** the packets the frame carries (as they say of themselves) */
    packets: CommandPacket[]
    /** its first packet's size byte claims more than the frame holds */
    liesAboutSize: boolean
}

export interface GarbageOptions {
    /** the board program's device id (16 hex digits, as written in a frame) */
    deviceId: string
    /** valid commands of the board's controller, the material of the mutated frames */
    templates: CommandPacket[]
    /** a command the frames must not carry (a reset that would restart the program, say) */
    excluded?: (serviceIndex: number, command: number) => boolean
    /** share of frames that are mutated templates (the rest are random) */
    mutatedShare?: number
}

/** Jacdac frame flag: the frame carries commands */
const FLAG_COMMAND = 0x01
/** Jacdac frame flag: the sender wants an ACK (the board answers every such command) */
const FLAG_ACK_REQUESTED = 0x02
const PACKET_HEADER_BYTES = 4
/** a frame carries at most 240 bytes of packets: one packet's payload is at most 236 bytes */
export const MAX_PAYLOAD_BYTES = 236
const MAX_FRAME_DATA_BYTES = 240
const CMD_GET_REGISTER = 0x1000
const CMD_SET_REGISTER = 0x2000
/** f32 values a command's fields should never be trusted with */
const SPECIAL_F32 = [NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1e30, -1e30, 1e6, -1e6, 0, -0, 1e-40]

const align4 = (n: number) => (n + 3) & ~3

/** A Jacdac command frame to `deviceId` carrying `packets`, with its CRC; `lieBy` adds to the first packet's size byte. */
export function commandFrame(deviceId: string, packets: CommandPacket[], ackRequested = false, lieBy = 0): Uint8Array {
    const dataBytes = packets.reduce((n, p) => n + align4(PACKET_HEADER_BYTES + p.payload.length), 0)
    if (dataBytes > MAX_FRAME_DATA_BYTES) throw new Error(`a frame carries at most ${MAX_FRAME_DATA_BYTES} bytes of packets, not ${dataBytes}`)
    const f = new Uint8Array(FRAME_HEADER_BYTES + dataBytes)
    f[2] = dataBytes
    f[3] = FLAG_COMMAND | (ackRequested ? FLAG_ACK_REQUESTED : 0)
    f.set(Buffer.from(deviceId, "hex"), 4)
    let at = FRAME_HEADER_BYTES
    packets.forEach((p, i) => {
        f[at] = Math.min(255, p.payload.length + (i === 0 ? lieBy : 0))
        f[at + 1] = p.serviceIndex
        f[at + 2] = p.command & 0xff
        f[at + 3] = p.command >> 8
        f.set(p.payload, at + PACKET_HEADER_BYTES)
        at += align4(PACKET_HEADER_BYTES + p.payload.length)
    })
    const c = crc(f.subarray(2))
    f[0] = c & 0xff
    f[1] = c >> 8
    return f
}

export class GarbageFrames {
    private readonly mutatedShare: number

    constructor(
        private rnd: Random,
        private opts: GarbageOptions
    ) {
        if (!opts.templates.length) throw new Error("garbage frames need at least one valid command to mutate")
        this.mutatedShare = opts.mutatedShare ?? 0.6
    }

    next(): GarbageFrame {
        const kind: GarbageKind = this.chance(this.mutatedShare) ? "mutated" : "random"
        // most frames carry one packet; some two or three (each its own garbage)
        const count = this.chance(0.9) ? 1 : 2 + this.int(2)
        const packets: CommandPacket[] = []
        let room = MAX_FRAME_DATA_BYTES
        for (let i = 0; i < count && room >= PACKET_HEADER_BYTES; i++) {
            const p = kind === "mutated" ? this.mutated() : this.random()
            p.payload = p.payload.slice(0, room - PACKET_HEADER_BYTES)
            if (this.opts.excluded?.(p.serviceIndex, p.command)) p.command = CMD_GET_REGISTER | this.int(0x200)
            if (this.opts.excluded?.(p.serviceIndex, p.command)) continue
            packets.push(p)
            room -= align4(PACKET_HEADER_BYTES + p.payload.length)
        }
        if (!packets.length) return this.next()
        // a packet whose size byte claims more than the frame holds (it must be read no further)
        const lieBy = this.chance(0.01) ? 1 + this.int(MAX_PAYLOAD_BYTES) : 0
        return { frame: commandFrame(this.opts.deviceId, packets, this.chance(0.05), lieBy), kind, packets, liesAboutSize: lieBy > 0 }
    }

    /** anything: a service index byte, a command code, bytes or f32 values of any length */
    private random(): CommandPacket {
        const serviceIndex = this.chance(0.7) ? this.int(8) : this.int(256)
        const command = this.int(0x10000)
        const n = this.chance(0.8) ? this.int(33) : this.int(MAX_PAYLOAD_BYTES + 1)
        const payload = this.chance(0.5) ? this.rnd.bytes(n) : this.f32s(n)
        return { serviceIndex, command, payload }
    }

    /** a valid command changed one to three ways */
    private mutated(): CommandPacket {
        const t = this.opts.templates[this.int(this.opts.templates.length)]
        const p: CommandPacket = { serviceIndex: t.serviceIndex, command: t.command, payload: t.payload.slice() }
        const changes = 1 + this.int(3)
        for (let i = 0; i < changes; i++) this.mutate(p)
        return p
    }

    private mutate(p: CommandPacket) {
        const view = () => new DataView(p.payload.buffer, p.payload.byteOffset, p.payload.byteLength)
        const f32At = () => 4 * this.int(Math.max(1, p.payload.length >> 2))
        switch (this.int(8)) {
            case 0: // truncated
                p.payload = p.payload.slice(0, this.int(p.payload.length + 1))
                break
            case 1: {
                // oversized
                const n = p.payload.length + 1 + this.int(MAX_PAYLOAD_BYTES - p.payload.length)
                const out = new Uint8Array(Math.min(n, MAX_PAYLOAD_BYTES))
                out.set(p.payload)
                out.set(this.rnd.bytes(out.length - p.payload.length), p.payload.length)
                p.payload = out
                break
            }
            case 2: // NaN, infinities, huge, tiny
                if (p.payload.length >= 4) view().setFloat32(f32At(), this.special(), true)
                break
            case 3: // out of range: a field scaled up by 10 to 10^8, maybe negated
                if (p.payload.length >= 4) {
                    const at = f32At()
                    view().setFloat32(at, view().getFloat32(at, true) * 10 ** (1 + this.int(8)) * (this.chance(0.5) ? -1 : 1) || 1e6, true)
                }
                break
            case 4: // flipped bits
                for (let k = 1 + this.int(4); k > 0 && p.payload.length; k--) p.payload[this.int(p.payload.length)] ^= 1 << this.int(8)
                break
            case 5: // another command of the same service: a neighbour, a register read or write, anything
                p.command = [p.command ^ (1 << this.int(16)), CMD_GET_REGISTER | this.int(0x200), CMD_SET_REGISTER | this.int(0x200), this.int(0x10000)][this.int(4)]
                break
            case 6: // another service (one the board has, or none)
                p.serviceIndex = this.int(8)
                break
            default: // an empty or random payload
                p.payload = this.chance(0.5) ? new Uint8Array(0) : this.f32s(this.int(33))
        }
    }

    private f32s(n: number): Uint8Array {
        const out = new Uint8Array(n)
        const v = new DataView(out.buffer)
        for (let at = 0; at + 4 <= n; at += 4) v.setFloat32(at, this.chance(0.5) ? this.special() : (this.rnd.uniform() - 0.5) * 2000, true)
        return out
    }

    private special() {
        return SPECIAL_F32[this.int(SPECIAL_F32.length)]
    }

    private int(n: number) {
        return Math.floor(this.rnd.uniform() * n)
    }

    private chance(p: number) {
        return this.rnd.uniform() < p
    }
}
