// The files of a run's trace, written from its recorded rows (sim/trace.ts) at the end of the run, a
// block of rows at a time, so that an hour's trace is never held in memory: MCAP (opens in Foxglove)
// and one CSV per topic, or one of the two (`hfw sim --trace`). In the MCAP every topic (a board's
// signal group, "left_knee/joint") is a channel of JSON messages with a `jsonschema` schema naming each
// field's unit, Foxglove's convention for JSON; log and publish time are the run's virtual time,
// messages in time order across topics, in zstd-compressed chunks. Each file is written under a
// temporary name and renamed when complete.
import path from "node:path"
import { McapWriter, TempBuffer, type IWritable } from "@mcap/core"
import { UsageError } from "./errors.ts"
import { splitUnit } from "./units.ts"
import { writeAll, writeFileThrough } from "./files.ts"
import { zstdChunkCompressor } from "./mcap-zstd.ts"
import type { TraceRecorder, TraceTopic } from "./trace.ts"

/** which trace files a run writes: trace.mcap and trace/<topic>.csv (the default), or one of them */
export const TRACE_FILES = { both: "trace.mcap and trace/*.csv", mcap: "trace.mcap", csv: "trace/*.csv" } as const
export type TraceFiles = keyof typeof TRACE_FILES

/** `--trace both|mcap|csv`; a UsageError naming what is accepted */
export function parseTraceFiles(text: string): TraceFiles {
    if (Object.hasOwn(TRACE_FILES, text)) return text as TraceFiles
    const accepted = Object.entries(TRACE_FILES).map(([k, files]) => `${k} (${files})`)
    throw new UsageError(`--trace '${text}' is not accepted; one of ${accepted.join(", ")}; both is the default`)
}

/**
 * trace.mcap's chunks: 1 MiB of messages each before compression (@mcap/core's default; the unit a
 * reader decompresses to seek), at zstd level 1. Measured on robot-walk, 60 s (15.9 MB uncompressed,
 * MB of 2^20 bytes): level 1 5.41 MB, 3 5.52 MB, 6 5.35 MB, 9 5.33 MB (2-3 times level 1's time);
 * 256 KiB or 4 MiB chunks within 0.5 % of 1 MiB. On 20 s, level 19 1.52 MB against level 1's 1.77
 * MB, in 3.4 s against 0.2-0.5 s. 1.6 MB of the 5.41 are the message indexes (16 bytes a message,
 * not compressed), which @mcap/core's indexed reader (Foxglove's) needs; the chunks are 3.8 times
 * smaller than their JSON messages.
 */
const CHUNK_BYTES = 1 << 20
const ZSTD_LEVEL = 1

/** Writes trace.mcap and trace/<topic>.csv (or one of them: `files`) into `dir`; returns the paths written. */
export async function writeTraceFiles(trace: TraceRecorder, dir: string, files: TraceFiles = "both"): Promise<string[]> {
    const written: string[] = []
    if (files !== "csv") {
        const mcapPath = path.join(dir, "trace.mcap")
        await writeFileThrough(mcapPath, async fd => writeMcap(trace, new FileWritable(fd)))
        written.push(mcapPath)
    }
    if (files !== "mcap")
        for (const t of trace.topics) {
            const p = path.join(dir, "trace", `${t.name.replace(/[^\w.-]+/g, "_")}.csv`)
            await writeFileThrough(p, async fd => writeCsv(t, fd))
            written.push(p)
        }
    return written
}

/** the MCAP of `trace` in memory (a watch recording: seconds of one board) */
export async function traceMcapBytes(trace: TraceRecorder): Promise<Uint8Array> {
    const buf = new TempBuffer()
    await writeMcap(trace, buf)
    return buf.get()
}

async function writeMcap(trace: TraceRecorder, writable: IWritable) {
    const compressChunk = await zstdChunkCompressor(ZSTD_LEVEL)
    const w = new McapWriter({ writable, useChunks: true, useStatistics: true, chunkSize: CHUNK_BYTES, compressChunk })
    await w.start({ profile: "", library: "humanoid-firmware" })
    const enc = new TextEncoder()
    const channelIds: number[] = []
    for (const t of trace.topics) {
        const schemaId = await w.registerSchema({ name: t.name, encoding: "jsonschema", data: enc.encode(JSON.stringify(topicSchema(t))) })
        channelIds.push(await w.registerChannel({ topic: "/" + t.name, schemaId, messageEncoding: "json", metadata: new Map() }))
    }
    // messages in time order across topics, as Foxglove expects
    const cursors = trace.topics.map(t => new RowCursor(t))
    for (;;) {
        let best: RowCursor | undefined
        for (const c of cursors) if (!c.done && (!best || c.tUs < best.tUs)) best = c
        if (!best) break
        const t = best.topic
        const msg: Record<string, number> = {}
        t.fields.forEach((f, k) => (msg[f] = best.value(k)))
        const timeNs = BigInt(best.tUs) * 1000n
        await w.addMessage({ channelId: channelIds[t.id], sequence: best.index, logTime: timeNs, publishTime: timeNs, data: enc.encode(JSON.stringify(msg)) })
        best.next()
    }
    await w.end()
}

/** one topic's rows, one at a time, through its blocks */
class RowCursor {
    index = 0
    private blocks: Iterator<ArrayLike<number>>
    private block: ArrayLike<number> = []
    private at = 0

    constructor(readonly topic: TraceTopic) {
        this.blocks = topic.blocks()
        this.load()
    }
    get done() {
        return this.at >= this.block.length
    }
    get tUs() {
        return this.block[this.at]
    }
    value(k: number) {
        return this.block[this.at + 1 + k]
    }
    next() {
        this.index++
        this.at += this.topic.stride
        if (this.at >= this.block.length) this.load()
    }
    private load() {
        const r = this.blocks.next()
        this.block = r.done ? [] : r.value
        this.at = 0
    }
}

/**
 * A message of `t`: an object of its fields, each a number, all present, nothing else. JSON has no
 * NaN or infinity (JSON.stringify writes null): a field that held one in this run may be null, and
 * says so.
 */
export function topicSchema(t: TraceTopic) {
    const properties = Object.fromEntries(
        t.fields.map((f, k) => {
            const { name, unit } = splitUnit(f)
            const description = unit ? `${name} (${unit})` : name
            return [f, t.nonFinite[k] ? { type: ["number", "null"], description: `${description}; null: not a number` } : { type: "number", description }]
        })
    )
    return { title: t.name, type: "object", properties, required: [...t.fields], additionalProperties: false }
}

/** the CSV text is written out every this many characters */
const CSV_FLUSH_CHARS = 1 << 20

function writeCsv(t: TraceTopic, fd: number) {
    let text = "time_s," + t.fields.join(",") + "\n"
    for (const block of t.blocks())
        for (let i = 0; i < block.length; i += t.stride) {
            let line = (block[i] / 1e6).toFixed(6)
            for (let k = 1; k < t.stride; k++) line += "," + String(block[i + k])
            text += line + "\n"
            if (text.length >= CSV_FLUSH_CHARS) {
                writeAll(fd, Buffer.from(text))
                text = ""
            }
        }
    writeAll(fd, Buffer.from(text))
}

/** MCAP's writer writes through this: a file, appended to */
class FileWritable implements IWritable {
    private bytes = 0n
    constructor(private fd: number) {}
    async write(buffer: Uint8Array) {
        writeAll(this.fd, buffer)
        this.bytes += BigInt(buffer.byteLength)
    }
    position() {
        return this.bytes
    }
}
