// hfw watch against a served simulated board, a joint's and a foot's: the page shows the telemetry
// live (each plot drawn, updates arriving; a foot's touchdowns and liftoffs as markers), records what
// it shows to an MCAP file that reads back, and once watching sends the board nothing at all.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import type { Page } from "playwright-core"
import { afterAll, expect, test, vi } from "vitest"
import { TcpFrameTransport } from "../sim/net/tcp-transport.ts"
import { serveJointBoard } from "../sim/serve/served-joint.ts"
import { serveFootBoard } from "../sim/serve/served-foot.ts"
import { readBoardSettingsFile } from "../tools/board-settings.ts"
import { settingsFileOf } from "../tools/settings-file.ts"
import { startWatch } from "../tools/watch-command.ts"
import { JOINT_FIELDS, JOINT_PLOTS } from "../tools/watch/joint-watch.ts"
import { FOOT_EVENT_FIELDS, FOOT_FIELDS, flagNames, footPlots, healthyText } from "../tools/watch/foot-watch.ts"
import type { JointSettings } from "../devs/joint/settings-schema.ts"
import { launchBrowser } from "./browser.ts"
import { indexedMcapReader } from "./mcap-reader.ts"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-watch-"))
afterAll(() => fs.rmSync(dir, { recursive: true }))

/** updates to wait for: telemetry comes every 40 ms, so about a second of it */
const UPDATES = 25
const WAIT_MS = 30_000
/** a pixel whose strongest and weakest colour channels differ by more than this is data, not grey */
const DATA_MIN_CHROMA = 40

const waitForUpdates = (page: Page, n: number) => page.waitForFunction(n => (window as any).watchUpdates >= n, n, { timeout: WAIT_MS })

/**
 * Frames the watch writes to its connection to the board from now on. Counted where they leave the watch,
 * not where the served board takes them in: a frame the watch sent before it went passive (a register
 * read of its start) can reach the board's bus after startWatch returned, when the test process is
 * slow to run the served board's side (seen once, a clean clone's tests on three workers).
 */
function framesWrittenFromNow(): { count(): number; restore(): void } {
    const spy = vi.spyOn(TcpFrameTransport.prototype as unknown as { transportSendPacketAsync(frame: Uint8Array): Promise<void> }, "transportSendPacketAsync")
    return { count: () => spy.mock.calls.length, restore: () => spy.mockRestore() }
}

/** per canvas in a .plot, its heading and its coloured pixels (the grid, axes and markers are grey) */
const drawnPixels = (page: Page) =>
    page.evaluate(MIN_CHROMA =>
        [...document.querySelectorAll(".plot canvas")].map(c => {
            const d = (c as HTMLCanvasElement).getContext("2d")!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data
            let n = 0
            for (let i = 0; i < d.length; i += 4) if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > MIN_CHROMA) n++
            return { title: c.closest(".plot")!.querySelector("h3")!.textContent!, n }
        }),
        DATA_MIN_CHROMA
    )

/** Opens the page, records `n` more updates and `events` more events, and returns the file written. */
async function recordFromPage(page: Page, url: string, n: number, events = 0): Promise<string> {
    await page.goto(url)
    await waitForUpdates(page, 2)
    await page.click("#record")
    // the server records from its answer on: what the page counts from here was recorded
    await page.waitForFunction(() => document.getElementById("recorded")!.textContent === "recording...", undefined, { timeout: WAIT_MS })
    const [n0, e0] = await page.evaluate(() => [(window as any).watchUpdates, (window as any).watchEvents] as number[])
    await waitForUpdates(page, n0 + n)
    await page.waitForFunction(e => (window as any).watchEvents >= e, e0 + events, { timeout: WAIT_MS })
    await page.click("#record")
    await page.waitForFunction(() => document.getElementById("recorded")!.textContent!.startsWith("wrote"), undefined, { timeout: WAIT_MS })
    return (await page.textContent("#recorded"))!.match(/^wrote (\S+)/)![1]
}

/** every message of the MCAP file `file` by channel topic, CRCs checked */
async function readMcap(file: string): Promise<Map<string, Record<string, number | null>[]>> {
    const bytes = new Uint8Array(fs.readFileSync(file))
    const reader = await indexedMcapReader(bytes)
    const byTopic = new Map([...reader.channelsById.values()].map(c => [c.topic, [] as Record<string, number | null>[]]))
    for await (const m of reader.readMessages({ validateCrcs: true }))
        byTopic.get(reader.channelsById.get(m.channelId)!.topic)!.push(JSON.parse(new TextDecoder().decode(m.data)))
    return byTopic
}

test("the live page of a served joint board updates every plot, records what it shows to MCAP, and never commands the board", async () => {
    const settings = readBoardSettingsFile("joint", settingsFileOf("left_knee"))
    const served = await serveJointBoard({ name: "left_knee", actuator: "large", port: 0, provisioned: { jointId: settings.id, values: settings.values as JointSettings } })
    const watch = await startWatch({ target: `tcp:127.0.0.1:${served.port}`, port: 0, outDir: dir })
    const written = framesWrittenFromNow()
    const browser = await launchBrowser()
    try {
        expect([watch.kind, watch.id]).toEqual(["joint", "left_knee"])
        const page = await browser.newPage()
        const errors: string[] = []
        page.on("pageerror", e => errors.push(e.message))
        const file = await recordFromPage(page, watch.url, UPDATES)
        expect(errors).toEqual([])
        expect(await page.evaluate(() => (window as any).watchErrors)).toEqual([])
        expect(await page.textContent("#mode")).toBe("Disabled")
        expect(Number(await page.textContent("#rate"))).toBeGreaterThan(0)
        const drawn = await drawnPixels(page)
        expect(drawn.map(d => d.title)).toEqual(JOINT_PLOTS.map(p => p.title))
        for (const d of drawn) expect(d.n, d.title).toBeGreaterThan(0)

        const recorded = await readMcap(file)
        expect([...recorded.keys()]).toEqual(["/left_knee/telemetry"])
        const telemetry = recorded.get("/left_knee/telemetry")!
        expect(telemetry.length).toBeGreaterThanOrEqual(UPDATES)
        for (const m of telemetry) expect(Object.keys(m)).toEqual([...JOINT_FIELDS])
        // the mode is recorded as its code: Disabled is 0
        expect(new Set(telemetry.map(m => m.mode))).toEqual(new Set([0]))
        // read-only: the board was never armed (its telemetry says Disabled), its bridge is off, and
        // once watching the watch sent nothing
        expect(served.board.bridgeOn).toBe(false)
        expect(written.count()).toBe(0)
    } finally {
        written.restore()
        await browser.close()
        await watch.close()
        await served.close()
    }
})

test("the live page of a served foot board draws forces, centre of pressure and contact state with touchdowns and liftoffs as markers, records them to MCAP, and sends the board nothing", async () => {
    const settings = readBoardSettingsFile("foot", settingsFileOf("left_foot"))
    // the cells 2 mm further back than the reference sole's: the sole view draws them where the board's settings say
    const values: Record<string, number[]> = { ...(settings.values as Record<string, number[]>), cellXMm: [-92, -92, 88, 88] }
    const served = await serveFootBoard({ name: "left_foot", port: 0, provisioned: { footId: settings.id, values } })
    const watch = await startWatch({ target: `tcp:127.0.0.1:${served.port}`, port: 0, outDir: dir })
    const written = framesWrittenFromNow()
    const browser = await launchBrowser()
    try {
        expect([watch.kind, watch.id]).toEqual(["foot", "left_foot"])
        const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } })
        const errors: string[] = []
        page.on("pageerror", e => errors.push(e.message))
        // a step or more: the foot walks in place, a touchdown and a liftoff each step
        const file = await recordFromPage(page, watch.url, UPDATES, 2)
        // HFW_WATCH_SHOT=FILE.png: a screenshot of the page, to look at
        if (process.env.HFW_WATCH_SHOT) await page.screenshot({ path: process.env.HFW_WATCH_SHOT, fullPage: true })
        expect(errors).toEqual([])
        expect(await page.evaluate(() => (window as any).watchErrors)).toEqual([])
        expect(["Swing", "Touchdown", "Stance", "Liftoff"]).toContain(await page.textContent("#state"))
        expect(await page.textContent("#healthy")).toBe("4 of 4")
        // the status line counts the events with the next sample
        await page.waitForFunction(() => /^[1-9]\d* touchdowns?, [1-9]\d* liftoffs?$/.test(document.getElementById("events")!.textContent!), undefined, { timeout: WAIT_MS })
        expect(Number(await page.textContent("#rate"))).toBeGreaterThan(0)
        const drawn = await drawnPixels(page)
        expect(drawn.map(d => d.title)).toEqual([...footPlots().map(p => p.title), expect.stringMatching(/^sole from above/)])
        for (const d of drawn) expect(d.n, d.title).toBeGreaterThan(0)
        expect(await page.evaluate("VIEW.sole")).toMatchObject({ cellXMm: values.cellXMm, cellYMm: values.cellYMm })

        const recorded = await readMcap(file)
        expect([...recorded.keys()].sort()).toEqual(["/left_foot/contact", "/left_foot/events"])
        const contact = recorded.get("/left_foot/contact")!
        expect(contact.length).toBeGreaterThanOrEqual(UPDATES)
        for (const m of contact) expect(Object.keys(m)).toEqual([...FOOT_FIELDS])
        // the foot bore weight while recorded: a stance's force is most of the body weight on one foot
        expect(Math.max(...contact.map(m => m.totalForceN!))).toBeGreaterThan(100)
        // a touchdown and a liftoff, one after the other
        const events = recorded.get("/left_foot/events")!
        expect(events.length).toBeGreaterThanOrEqual(2)
        expect(new Set(events.map(e => e.touchdown))).toEqual(new Set([0, 1]))
        for (const e of events) {
            expect(Object.keys(e)).toEqual([...FOOT_EVENT_FIELDS])
        }
        // read-only: once watching, the watch wrote nothing to its connection to the board
        expect(written.count()).toBe(0)
    } finally {
        written.restore()
        await browser.close()
        await watch.close()
        await served.close()
    }
})

test("hfw watch --target sim serves a simulated foot with --joint left_foot; it refuses an id that is neither a joint nor a foot, and --joint for a board it does not serve", async () => {
    const watch = await startWatch({ target: "sim", joint: "left_foot", port: 0, outDir: dir })
    try {
        expect([watch.kind, watch.id]).toEqual(["foot", "left_foot"])
    } finally {
        await watch.close()
    }
    await expect(startWatch({ target: "sim", joint: "left_toe", port: 0, outDir: dir })).rejects.toThrow(/--joint 'left_toe' is not accepted; a joint \(.*\) or a foot \(left_foot, right_foot\)/)
    await expect(startWatch({ target: "tcp:127.0.0.1:1", joint: "left_foot", port: 0, outDir: dir })).rejects.toThrow("--joint is for --target sim only")
})

test("the foot's status line names the set flags and the healthy cells", () => {
    expect(flagNames(0)).toBe("none")
    expect(flagNames(0x04 | 0x08)).toBe("CopValid, Zeroing")
    expect(healthyText(0b1111)).toBe("4 of 4")
    expect(healthyText(0b1011)).toBe("3 of 4: 0 1 3")
    expect(healthyText(0)).toBe("0 of 4: none")
})
