// The trace of a long run goes to disk as it is recorded: a recorder that spills its rows to files
// writes the same MCAP and CSV, byte for byte, as one that holds them in memory, leaves no file of its
// own beside the output folder, and one that keeps no rows still hashes and counts them.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { afterAll, describe, expect, test } from "vitest"
import { TraceRecorder, type TraceRows } from "../sim/trace.ts"
import { traceMcapBytes, writeTraceFiles } from "../sim/trace-files.ts"

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
