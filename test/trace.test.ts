// The trace of a long run goes to disk as it is recorded: a recorder that spills its rows to files
// writes the same MCAP and CSV, byte for byte, as one that holds them in memory, leaves no file of its
// own beside the output folder, and one that keeps no rows still hashes and counts them. The MCAP's
// chunks are zstd-compressed and give back every recorded sample; a run may write one of the two kinds.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { McapStreamReader, type McapTypes } from "@mcap/core"
import { afterAll, describe, expect, test } from "vitest"
import { mcapDecompressHandlers } from "../sim/mcap-zstd.ts"
import { TraceRecorder, type TraceRows } from "../sim/trace.ts"
import { parseTraceFiles, traceMcapBytes, writeTraceFiles } from "../sim/trace-files.ts"
import { indexedMcapReader } from "./mcap-reader.ts"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-trace-"))
afterAll(() => fs.rmSync(dir, { recursive: true }))

/** 30 000 rows of a joint (several spill blocks), interleaved with a slower topic, a NaN in one field */
function record(keep: TraceRows) {
    const trace = new TraceRecorder(keep)
    const joint = trace.topic("left_knee/joint", ["referenceRad", "angleRad", "currentA", "torqueNm"])
    const loop = trace.topic("left_knee/loop", ["periodMeanUs", "overruns"])
    for (let i = 0; i < 30_000; i++) {
        const tUs = i * 10_000
        trace.record(joint, tUs, [Math.sin(i / 100), Math.sin(i / 100) + 1e-3 * Math.cos(i), i === 12_345 ? NaN : i / 7, -i / 3])
        if (i % 4 === 0) trace.record(loop, tUs + 3, [10_000 + (i % 13), 0])
    }
    return trace
}

describe("the trace of a long run", () => {
    test("spilled to disk as it is recorded, it writes the same MCAP and CSV files as one held in memory", async () => {
        const inMemory = record("memory")
        const out = path.join(dir, "runs", "run") // its folder made only when the outputs are written
        const spilled = record({ spillBeside: out })
        expect(spilled.topics[0].rows.length).toBeLessThan(inMemory.topics[0].rows.length / 2) // most of it on disk
        expect(spilled.topics.map(t => t.count)).toEqual([30_000, 7_500])
        expect(spilled.digest()).toBe(inMemory.digest())
        const a = path.join(dir, "memory")
        const b = path.join(dir, "spilled")
        const written = await writeTraceFiles(inMemory, a)
        await writeTraceFiles(spilled, b)
        expect(written.map(f => path.relative(a, f))).toEqual(["trace.mcap", "trace/left_knee_joint.csv", "trace/left_knee_loop.csv"])
        for (const f of written) expect(fs.readFileSync(path.join(b, path.relative(a, f))).equals(fs.readFileSync(f)), f).toBe(true)
        expect(Buffer.from(await traceMcapBytes(inMemory)).equals(fs.readFileSync(path.join(a, "trace.mcap")))).toBe(true)
        // the NaN field's schema allows null, the others do not
        const csv = fs.readFileSync(path.join(b, "trace", "left_knee_joint.csv"), "utf8").split("\n")
        expect(csv[12_346].split(",")[3]).toBe("NaN")
        expect(spilled.topics[0].nonFinite).toEqual([false, false, true, false])
        spilled.close()
        // the spill files were never visible beside the output folder (unlinked once opened), and are gone
        expect(fs.readdirSync(dir).sort()).toEqual(["memory", "spilled"])
    })

    test("a recorder that keeps no rows (a run that writes no files) still counts and hashes them", () => {
        const kept = record("memory")
        const none = record("none")
        expect(none.topics.map(t => t.rows.length)).toEqual([0, 0])
        expect(none.topics.map(t => t.count)).toEqual(kept.topics.map(t => t.count))
        expect(none.digest()).toBe(kept.digest())
    })
})

describe("trace.mcap", () => {
    test("its chunks are zstd-compressed, and read back through the shared handler they hold every recorded sample", async () => {
        const trace = record("memory")
        const bytes = await traceMcapBytes(trace)
        const decompressHandlers = await mcapDecompressHandlers()
        const stream = new McapStreamReader({ includeChunks: true, decompressHandlers, validateCrcs: true })
        stream.append(bytes)
        const chunks: McapTypes.Chunk[] = []
        for (let r; (r = stream.nextRecord()); ) if (r.type === "Chunk") chunks.push(r)
        expect(chunks.length).toBeGreaterThan(1)
        for (const c of chunks) expect(c.compression).toBe("zstd")
        const storedBytes = chunks.reduce((s, c) => s + c.records.byteLength, 0)
        const messageBytes = chunks.reduce((s, c) => s + Number(c.uncompressedSize), 0)
        expect(storedBytes).toBeLessThan(messageBytes / 2)

        const reader = await indexedMcapReader(bytes)
        const read = new Map(trace.topics.map(t => [`/${t.name}`, [] as (number | null)[][]]))
        for await (const m of reader.readMessages({ validateCrcs: true })) {
            const topic = trace.topics[[...read.keys()].indexOf(reader.channelsById.get(m.channelId)!.topic)]
            read.get(`/${topic.name}`)!.push([Number(m.logTime / 1000n), ...topic.fields.map(f => JSON.parse(new TextDecoder().decode(m.data))[f])])
        }
        for (const t of trace.topics) {
            const recorded: (number | null)[][] = []
            // JSON has no NaN (null) and no negative zero
            for (let i = 0; i < t.rows.length; i += t.stride) recorded.push(t.rows.slice(i, i + t.stride).map(v => (Number.isNaN(v) ? null : v === 0 ? 0 : v)))
            expect(read.get(`/${t.name}`), t.name).toEqual(recorded)
        }
    })

    test("a run writes both kinds of trace file, or the one asked for; a bad choice names the accepted ones", async () => {
        const trace = record("memory")
        const names = async (files: "mcap" | "csv") => (await writeTraceFiles(trace, path.join(dir, files), files)).map(f => path.relative(path.join(dir, files), f))
        expect(await names("mcap")).toEqual(["trace.mcap"])
        expect(await names("csv")).toEqual(["trace/left_knee_joint.csv", "trace/left_knee_loop.csv"])
        expect(parseTraceFiles("mcap")).toBe("mcap")
        expect(() => parseTraceFiles("parquet")).toThrow("--trace 'parquet' is not accepted; one of both (trace.mcap and trace/*.csv), mcap (trace.mcap), csv (trace/*.csv); both is the default")
        expect(() => parseTraceFiles("toString")).toThrow(/is not accepted/)
    })
})
