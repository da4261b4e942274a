// Records every traced signal of a run, by board, hashes it as it goes, and writes it as MCAP (opens
// in Foxglove) and as one CSV per topic. Files are written only at the end, atomically.
// In the MCAP every topic (a board's signal group, "left_knee/joint") is a channel of JSON messages
// with a `jsonschema` schema naming each field's unit, Foxglove's convention for JSON; log and
// publish time are the run's virtual time.
import { createHash, type Hash } from "node:crypto"
import path from "node:path"
import { McapWriter, TempBuffer } from "@mcap/core"
import { writeFileAtomic } from "./files.ts"
import { splitUnit } from "./units.ts"

export class TraceTopic {
    /** rows: [tUs, ...values] flattened */
    readonly rows: number[] = []
    constructor(
        readonly id: number,
        /** e.g. "joint/left_knee" */
        readonly name: string,
        /** field names with units, e.g. ["currentA", "angleRad"] */
        readonly fields: readonly string[],
        /** samples are events (a touchdown), drawn as markers rather than joined by lines */
        readonly events = false
    ) {}
    get count() {
        return this.rows.length / (this.fields.length + 1)
    }
}

export class TraceRecorder {
    readonly topics: TraceTopic[] = []
    private hash: Hash = createHash("sha256")
    private scratch = new Float64Array(64)

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
        topic.rows.push(tUs, ...values)
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

    /** Writes trace.mcap and trace/<topic>.csv into `dir`; returns the paths written. */
    async write(dir: string): Promise<string[]> {
        const written: string[] = []
        const mcapPath = path.join(dir, "trace.mcap")
        writeFileAtomic(mcapPath, await this.toMcap())
        written.push(mcapPath)
        for (const t of this.topics) {
            const p = path.join(dir, "trace", `${t.name.replace(/[^\w.-]+/g, "_")}.csv`)
            writeFileAtomic(p, topicCsv(t))
            written.push(p)
        }
        return written
    }

    async toMcap(): Promise<Uint8Array> {
        const buf = new TempBuffer()
        const w = new McapWriter({ writable: buf, useChunks: true, useStatistics: true })
        await w.start({ profile: "", library: "humanoid-firmware" })
        const enc = new TextEncoder()
        const channelIds: number[] = []
        for (const t of this.topics) {
            const schemaId = await w.registerSchema({
                name: t.name,
                encoding: "jsonschema",
                data: enc.encode(JSON.stringify(topicSchema(t))),
            })
            channelIds.push(
                await w.registerChannel({ topic: "/" + t.name, schemaId, messageEncoding: "json", metadata: new Map() })
            )
        }
        // messages in time order across topics, as Foxglove expects
        const cursors = this.topics.map(() => 0)
        for (;;) {
            let best = -1
            for (let i = 0; i < this.topics.length; i++) {
                const t = this.topics[i]
                if (cursors[i] < t.rows.length && (best < 0 || t.rows[cursors[i]] < this.topics[best].rows[cursors[best]]))
                    best = i
            }
            if (best < 0) break
            const t = this.topics[best]
            const at = cursors[best]
            const msg: Record<string, number> = {}
            t.fields.forEach((f, k) => (msg[f] = t.rows[at + 1 + k]))
            const timeNs = BigInt(t.rows[at]) * 1000n
            await w.addMessage({
                channelId: channelIds[best],
                sequence: at / (t.fields.length + 1),
                logTime: timeNs,
                publishTime: timeNs,
                data: enc.encode(JSON.stringify(msg)),
            })
            cursors[best] += t.fields.length + 1
        }
        await w.end()
        return buf.get()
    }
}

/**
 * A message of `t`: an object of its fields, each a number, all present, nothing else. JSON has no
 * NaN or infinity (JSON.stringify writes null): a field that held one in this run may be null, and
 * says so.
 */
export function topicSchema(t: TraceTopic) {
    const stride = t.fields.length + 1
    const properties = Object.fromEntries(
        t.fields.map((f, k) => {
            const { name, unit } = splitUnit(f)
            const description = unit ? `${name} (${unit})` : name
            let nonFinite = false
            for (let i = 1 + k; i < t.rows.length && !nonFinite; i += stride) nonFinite = !Number.isFinite(t.rows[i])
            return [f, nonFinite ? { type: ["number", "null"], description: `${description}; null: not a number` } : { type: "number", description }]
        })
    )
    return { title: t.name, type: "object", properties, required: [...t.fields], additionalProperties: false }
}

function topicCsv(t: TraceTopic): string {
    const stride = t.fields.length + 1
    const lines = ["time_s," + t.fields.join(",")]
    for (let i = 0; i < t.rows.length; i += stride) {
        const row = [(t.rows[i] / 1e6).toFixed(6)]
        for (let k = 1; k < stride; k++) row.push(String(t.rows[i + k]))
        lines.push(row.join(","))
    }
    return lines.join("\n") + "\n"
}
