// hfw watch against a served simulated joint board: the page shows the telemetry live (each plot
// drawn, updates arriving), records what it shows to an MCAP file that reads back, and never
// commands the board.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { McapIndexedReader } from "@mcap/core"
import { afterAll, expect, test } from "vitest"
import { serveJointBoard } from "../sim/serve/served-joint.ts"
import { readBoardSettingsFile } from "../tools/board-settings.ts"
import { settingsFileOf } from "../tools/settings-file.ts"
import { WATCH_FIELDS, startWatch } from "../tools/watch-command.ts"
import { WATCH_PLOTS } from "../tools/watch/watch-page.ts"
import type { JointSettings } from "../devs/joint/settings-schema.ts"
import { launchBrowser } from "./browser.ts"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-watch-"))
afterAll(() => fs.rmSync(dir, { recursive: true }))

/** updates to wait for: telemetry comes every 40 ms, so about a second of it */
const UPDATES = 25
const WAIT_MS = 30_000

const updates = (page: import("playwright-core").Page) => page.evaluate(() => (window as any).watchUpdates as number)
const waitForUpdates = (page: import("playwright-core").Page, n: number) =>
    page.waitForFunction(n => (window as any).watchUpdates >= n, n, { timeout: WAIT_MS })

test("the live page of a served board updates every plot, records what it shows to MCAP, and never commands the board", async () => {
    const settings = readBoardSettingsFile("joint", settingsFileOf("left_knee"))
    const served = await serveJointBoard({ name: "left_knee", actuator: "large", port: 0, provisioned: { jointId: settings.id, values: settings.values as JointSettings } })
    const watch = await startWatch({ target: `tcp:127.0.0.1:${served.port}`, port: 0, outDir: dir })
    const browser = await launchBrowser()
    try {
        expect(watch.jointId).toBe("left_knee")
        const page = await browser.newPage()
        const errors: string[] = []
        page.on("pageerror", e => errors.push(e.message))
        await page.goto(watch.url)
        await waitForUpdates(page, 2)
        await page.click("#record")
        const n0 = await updates(page)
        await waitForUpdates(page, n0 + UPDATES)
        await page.click("#record")
        await page.waitForFunction(() => document.getElementById("recorded")!.textContent!.startsWith("wrote"), undefined, { timeout: WAIT_MS })
        expect(errors).toEqual([])
        expect(await page.evaluate(() => (window as any).watchErrors)).toEqual([])
        expect(await page.textContent("#mode")).toBe("Disabled")
        expect(Number(await page.textContent("#rate"))).toBeGreaterThan(0)
        // each plot has its data drawn (coloured pixels: the grid and axes are grey)
        const drawn = await page.evaluate(() =>
            [...document.querySelectorAll(".plot canvas")].map(c => {
                const d = (c as HTMLCanvasElement).getContext("2d")!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data
                let n = 0
                for (let i = 0; i < d.length; i += 4) if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 40) n++
                return n
            })
        )
        expect(drawn).toHaveLength(WATCH_PLOTS.length)
        for (const [i, n] of drawn.entries()) expect(n, WATCH_PLOTS[i].title).toBeGreaterThan(0)

        const file = (await page.textContent("#recorded"))!.match(/^wrote (\S+)/)![1]
        const bytes = new Uint8Array(fs.readFileSync(file))
        const reader = await McapIndexedReader.Initialize({
            readable: { size: async () => BigInt(bytes.length), read: async (o, n) => bytes.slice(Number(o), Number(o + n)) },
        })
        expect([...reader.channelsById.values()].map(c => c.topic)).toEqual(["/left_knee/telemetry"])
        let messages = 0
        for await (const m of reader.readMessages({ validateCrcs: true })) {
            expect(Object.keys(JSON.parse(new TextDecoder().decode(m.data)))).toEqual([...WATCH_FIELDS])
            messages++
        }
        expect(messages).toBeGreaterThanOrEqual(UPDATES)
        // read-only: the board was never armed (its telemetry says Disabled, above), and its bridge is off
        expect(served.board.bridgeOn).toBe(false)
    } finally {
        await browser.close()
        await watch.close()
        await served.close()
    }
})
