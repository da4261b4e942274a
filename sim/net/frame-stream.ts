// The framing the DeviceScript development tools use on their TCP bridge (`devs devtools`, port
// 8082) and that the VM's own TCP transport speaks: each Jacdac frame is preceded by one length byte,
// or by 0xff and a little-endian u16 length for frames of 255 bytes or more. (Jacdac frames are at
// most 252 bytes, so in practice one byte.) Read from @devicescript/cli 2.16.4: startProxyServers and
// setupNodeTcpSocketTransport in its bundle; jacdac-ts' NodeSocketTransport reads the short form.

const LONG_MARK = 0xff

export function encodeStreamFrame(frame: Uint8Array): Uint8Array {
    if (frame.length > 0xffff) throw new Error(`frame of ${frame.length} bytes is too long for the stream (at most 65535)`)
    const head = frame.length >= LONG_MARK ? [LONG_MARK, frame.length & 0xff, frame.length >> 8] : [frame.length]
    const out = new Uint8Array(head.length + frame.length)
    out.set(head, 0)
    out.set(frame, head.length)
    return out
}

/** Splits a byte stream back into frames; keeps a partial frame until the rest arrives. */
export class StreamFrameDecoder {
    private pending = new Uint8Array(0)

    push(chunk: Uint8Array): Uint8Array[] {
        const buf = new Uint8Array(this.pending.length + chunk.length)
        buf.set(this.pending, 0)
        buf.set(chunk, this.pending.length)
        const frames: Uint8Array[] = []
        let at = 0
        for (;;) {
            if (at >= buf.length) break
            let start = at + 1
            let len = buf[at]
            if (len === LONG_MARK) {
                if (buf.length < at + 3) break
                len = buf[at + 1] | (buf[at + 2] << 8)
                start = at + 3
            }
            if (buf.length < start + len) break
            frames.push(buf.slice(start, start + len))
            at = start + len
        }
        this.pending = buf.slice(at)
        return frames
    }
}
