// Records every traced signal of a run, by board, and hashes it as it goes (`traceHash`). A topic's
// rows are held in memory, or (a run with an output folder: it may last an hour) written to a spill
// file as they come, so that memory stays flat however long the run; or, when nothing will be
// written, not kept at all. The files a run leaves (MCAP, CSV) are written from the rows at its end
// (sim/trace-files.ts), when every topic's schema is known: whether a field ever held NaN.
import { createHash, type Hash } from "node:crypto"
import fs from "node:fs"
import path from "node:path"
import { writeAll } from "./files.ts"

/** where a recorder keeps its topics' rows */
export type TraceRows =
    /** in memory (tests and tools that read them back) */
    | "memory"
    /** nowhere: only the hash and the counts (a run that writes no files) */
    | "none"
    /** in a spill file per topic, created beside `besidePath` (the run's output folder) */
    | { spillBeside: string }

/** how many numbers a spilling topic holds in memory before it appends them to its file (512 KB) */
const SPILL_BLOCK_NUMBERS = 1 << 16

export class TraceTopic {
    /** rows held in memory, [tUs, ...values] flattened: every row, or those not yet spilled */
    readonly rows: number[] = []
    /** for each field, whether it held a value that is not a finite number (NaN, infinity) */
    readonly nonFinite: boolean[]
    /** rows written to the spill file, or dropped (a recorder that keeps none) */
    private rowsAway = 0
    private spill: SpillFile | undefined

    constructor(
        readonly id: number,
        /** e.g. "joint/left_knee" */
        readonly name: string,
        /** field names with units, e.g. ["currentA", "angleRad"] */
        readonly fields: readonly string[],
        /** samples are events (a touchdown), drawn as markers rather than joined by lines */
        readonly events = false
    ) {
        this.nonFinite = fields.map(() => false)
    }

    get stride() {
        return this.fields.length + 1
    }

    get count() {
        return this.rowsAway + this.rows.length / this.stride
    }

    /** every row in time of recording, in blocks of whole rows ([tUs, ...values] flattened) */
    *blocks(): Generator<ArrayLike<number>> {
        if (this.spill) yield* this.spill.blocks(this.stride)
        if (this.rows.length) yield this.rows
    }

    /** appends a row (TraceRecorder.record) */
    append(tUs: number, values: readonly number[], keep: TraceRows) {
        for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) this.nonFinite[k] = true
        if (keep === "none") {
            this.rowsAway++
            return
        }
        this.rows.push(tUs, ...values)
        if (keep === "memory" || this.rows.length < SPILL_BLOCK_NUMBERS) return
        this.spill ??= new SpillFile(keep.spillBeside, this.id)
        this.spill.append(this.rows)
        this.rowsAway += this.rows.length / this.stride
        this.rows.length = 0
    }

    /** closes the spill file (its space is freed); the rows it held are gone */
    close() {
        this.spill?.close()
        this.spill = undefined
    }
}

/**
 * A topic's rows on disk, as float64s. The file is made beside the run's output folder (the disk the
 * outputs go to; in the nearest folder above it that exists, as nothing is made before the run ends)
 * and unlinked at once where the system allows it (POSIX: the open descriptor keeps it), so that a
 * run killed mid-way leaves nothing behind; elsewhere it is removed when closed.
 */
class SpillFile {
    private fd: number
    private path: string | undefined
    private bytes = 0

    constructor(besidePath: string, id: number) {
        const abs = path.resolve(besidePath)
        let folder = path.dirname(abs)
        while (!fs.existsSync(folder)) folder = path.dirname(folder)
        const file = path.join(folder, `.${path.basename(abs)}.trace-${process.pid}-${id}-${Date.now().toString(36)}`)
        this.fd = fs.openSync(file, "wx+")
        try {
            fs.unlinkSync(file)
        } catch {
            this.path = file
        }
    }

    append(numbers: readonly number[]) {
        const data = Float64Array.from(numbers)
        writeAll(this.fd, new Uint8Array(data.buffer), this.bytes)
        this.bytes += data.byteLength
    }

    *blocks(stride: number): Generator<Float64Array> {
        const blockBytes = Math.max(1, Math.floor(SPILL_BLOCK_NUMBERS / stride)) * stride * 8
        for (let at = 0; at < this.bytes; at += blockBytes) {
            const block = new Float64Array(Math.min(blockBytes, this.bytes - at) / 8)
            fs.readSync(this.fd, new Uint8Array(block.buffer), 0, block.byteLength, at)
            yield block
        }
    }

    close() {
        fs.closeSync(this.fd)
        if (this.path) fs.rmSync(this.path, { force: true })
    }
}

export class TraceRecorder {
    readonly topics: TraceTopic[] = []
    private hash: Hash = createHash("sha256")
    private scratch = new Float64Array(64)

    constructor(readonly keep: TraceRows = "memory") {}

    topic(name: string, fields: readonly string[], opts: { events?: boolean } = {}): TraceTopic {
        if (this.topics.some(t => t.name === name)) throw new Error(`trace topic '${name}' registered twice`)
        const t = new TraceTopic(this.topics.length, name, fields, opts.events)
        this.topics.push(t)
        this.hash.update(`${name}:${fields.join(",")}\n`)
        return t
    }

    record(topic: TraceTopic, tUs: number, values: readonly number[]) {
        if (values.length !== topic.fields.length)
            throw new Error(`trace ${topic.name}: ${values.length} values for ${topic.fields.length} fields`)
        topic.append(tUs, values, this.keep)
        const n = values.length + 2
        if (this.scratch.length < n) this.scratch = new Float64Array(n)
        this.scratch[0] = topic.id
        this.scratch[1] = tUs
        for (let i = 0; i < values.length; i++) this.scratch[i + 2] = values[i]
        this.hash.update(new Uint8Array(this.scratch.buffer, 0, n * 8))
    }

    /** sha256 of every recorded sample, in order (the `traceHash` of the JSON output) */
    digest(): string {
        return this.hash.copy().digest("hex").slice(0, 16)
    }

    /** frees the topics' spill files (after the run's files are written, or when it failed) */
    close() {
        for (const t of this.topics) t.close()
    }
}
