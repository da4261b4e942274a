// What a run leaves for its reader, for every scenario: the report, opened in headless Chromium,
// loads without errors and draws each plot designed around the scenario's question with data; the
// MCAP trace reads back with @mcap/core (CRCs checked), and every message fits its channel's JSON
// schema; robot-walk's Foxglove layout names only channels and fields the trace has.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import Ajv from "ajv"
import { McapStreamReader, type McapTypes } from "@mcap/core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { mcapDecompressHandlers } from "../sim/mcap-zstd.ts"
import { runScenario } from "../sim/run.ts"
import { renderInChromium } from "./browser.ts"
import { indexedMcapReader } from "./mcap-reader.ts"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-outputs-"))
const decompressHandlers = await mcapDecompressHandlers()
afterAll(() => fs.rmSync(dir, { recursive: true }))

const LEGS = ["left", "right"]
const JOINT_KINDS = ["hip_yaw", "hip_roll", "hip_pitch", "knee", "ankle_pitch", "ankle_roll"]

/** each scenario, run short, and the starts of the titles of the plots its report is designed around */
const RUNS: { scenario: string; durationS?: number; params?: string[]; plots: string[]; figures?: string[] }[] = [
    {
        scenario: "robot-walk",
        durationS: 3.2,
        plots: [...LEGS.flatMap(l => JOINT_KINDS.map(k => `${l}_${k}: tracking RMS`)), "left_foot: contact", "right_foot: contact", "bus load per segment", "CPU load per board"],
    },
    {
        scenario: "foot-gait",
        params: ["steps=4"],
        plots: ["contact over the first three stances", "ground reaction force over", "touchdown latency:", "liftoff latency:", "every event's latency"],
        figures: ["centre of pressure on the sole"],
    },
    { scenario: "joint-step", durationS: 1.2, plots: ["current step 0 -> 10 A"] },
    { scenario: "joint-impedance", durationS: 2.2, params: ["settleS=0.5", "pushS=0.3"], plots: ["position step of", "stiffness test"] },
    { scenario: "joint-track", durationS: 2, plots: ["torque profile"] },
    { scenario: "faults", plots: ["bridge on, per case"] },
]

async function readMcap(file: string) {
    const bytes = new Uint8Array(fs.readFileSync(file))
    const reader = await indexedMcapReader(bytes)
    const messages: McapTypes.Message[] = []
    for await (const m of reader.readMessages({ validateCrcs: true })) messages.push(m)
    return { reader, messages }
}

/** every record of the file in order, read as a stream with its CRCs checked (a bad byte throws) */
function streamRecords(bytes: Uint8Array): McapTypes.TypedMcapRecord[] {
    const stream = new McapStreamReader({ validateCrcs: true, decompressHandlers })
    stream.append(bytes)
    const records: McapTypes.TypedMcapRecord[] = []
    for (let r; (r = stream.nextRecord()); ) records.push(r)
    expect(stream.done()).toBe(true)
    return records
}

for (const run of RUNS)
    describe(`${run.scenario}: what the run leaves`, () => {
        const out = path.join(dir, run.scenario)
        beforeAll(async () => {
            await runScenario({ scenario: run.scenario, durationS: run.durationS, params: run.params, outDir: out })
        })

        test("the report loads without errors and draws each plot designed around the scenario's question with data", async () => {
            const shot = process.env.REPORT_SCREENSHOT_DIR // a folder, to look at the pages
            const r = await renderInChromium(path.join(out, "report.html"), { screenshotPath: shot && path.join(shot, `${run.scenario}.png`) })
            expect(r.errors).toEqual([])
            expect(r.canvases).toHaveLength(r.drawnCharts)
            for (const want of run.plots) expect(r.canvases.filter(c => c.title.startsWith(want)), want).toHaveLength(1)
            for (const c of r.canvases) expect(c.drawnPixels, c.title).toBeGreaterThan(0)
            for (const want of run.figures ?? []) expect(r.figures.find(f => f.title.startsWith(want))?.marks, want).toBeGreaterThan(0)
        })

        test("the trace reads back with its CRCs checked, one JSON channel per board and signal group, every message fitting its schema", async () => {
            const { reader, messages } = await readMcap(path.join(out, "trace.mcap"))
            const ajv = new Ajv({ allErrors: true })
            const channels = [...reader.channelsById.values()]
            expect(channels.length).toBeGreaterThan(0)
            const validators = new Map(
                channels.map(c => {
                    const schema = reader.schemasById.get(c.schemaId)!
                    expect(schema.encoding, c.topic).toBe("jsonschema")
                    expect(c.messageEncoding, c.topic).toBe("json")
                    expect(c.topic, "/<board>/<signal group>").toMatch(/^\/[\w.-]+\/[\w.-]+$/)
                    return [c.id, ajv.compile(JSON.parse(new TextDecoder().decode(schema.data)))]
                })
            )
            const perChannel = new Map<number, number>()
            let lastNs = -1n
            for (const m of messages) {
                const validate = validators.get(m.channelId)!
                const msg = JSON.parse(new TextDecoder().decode(m.data))
                if (!validate(msg)) expect.fail(`${reader.channelsById.get(m.channelId)!.topic}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(msg)}`)
                expect(m.logTime >= lastNs, "messages in virtual time order").toBe(true)
                lastNs = m.logTime
                perChannel.set(m.channelId, (perChannel.get(m.channelId) ?? 0) + 1)
            }
            // the same samples as the CSV of each topic, and within the run's virtual time
            for (const c of channels) {
                const csv = path.join(out, "trace", `${c.topic.slice(1).replace(/[^\w.-]+/g, "_")}.csv`)
                const rows = fs.readFileSync(csv, "utf8").trim().split("\n").length - 1
                expect(perChannel.get(c.id) ?? 0, c.topic).toBe(rows)
            }
            const summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"))
            expect(Number(lastNs) / 1e9).toBeLessThanOrEqual(summary.simSeconds)
            expect(streamRecords(new Uint8Array(fs.readFileSync(path.join(out, "trace.mcap")))).filter(r => r.type === "Message")).toHaveLength(messages.length)
        })
    })

describe("the checks fail where they should", () => {
    test("a flipped byte in a chunk of a trace fails to read: zstd refuses it, or its CRC does not match", async () => {
        const file = path.join(dir, "joint-step", "trace.mcap")
        const bytes = new Uint8Array(fs.readFileSync(file))
        expect(streamRecords(bytes).length).toBeGreaterThan(0) // intact
        const chunk = (await readMcap(file)).reader.chunkIndexes[0]
        bytes[Number(chunk.chunkStartOffset + chunk.chunkLength / 2n)] ^= 0xff // inside its compressed messages
        expect(() => streamRecords(bytes)).toThrow(/crc|decompression/i)
    })

    test("a message with a field missing, a string, a null where the run had no NaN, or a field of another does not fit its schema", async () => {
        const { reader } = await readMcap(path.join(dir, "joint-step", "trace.mcap"))
        const schema = [...reader.schemasById.values()].find(s => s.name === "bench_joint/actuator")!
        const validate = new Ajv().compile(JSON.parse(new TextDecoder().decode(schema.data)))
        const good = { currentA: 1, currentRefA: 1, voltageV: 2, windingC: 30 }
        expect(validate(good)).toBe(true)
        expect(validate({ ...good, windingC: undefined })).toBe(false)
        expect(validate({ ...good, currentA: "1" })).toBe(false)
        expect(validate(JSON.parse(JSON.stringify({ ...good, voltageV: NaN })))).toBe(false)
        expect(validate({ ...good, angleRad: 0 })).toBe(false)
    })
})

describe("robot-walk's Foxglove layout", () => {
    test("names only channels and fields of the run's trace: each joint's commanded and measured angle, each foot's contact and force", async () => {
        const out = path.join(dir, "robot-walk")
        const layout = JSON.parse(fs.readFileSync(path.join(out, "foxglove-layout.json"), "utf8"))
        const { reader } = await readMcap(path.join(out, "trace.mcap"))
        const fields = new Map(
            [...reader.channelsById.values()].map(c => [c.topic, Object.keys(JSON.parse(new TextDecoder().decode(reader.schemasById.get(c.schemaId)!.data)).properties)])
        )
        const paths: string[] = Object.values(layout.configById).flatMap((c: any) => c.paths.map((p: any) => p.value))
        expect(paths).toHaveLength(12 * 2 + 2 + 2 * 2)
        for (const p of paths) {
            const [topic, field] = p.split(".")
            expect(fields.get(topic), p).toContain(field)
        }
    })
})
