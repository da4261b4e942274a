// Finding the browser a user has for the report tests: CHROME_PATH first, then the usual install
// paths of the platform, playwright-core's own browser, then its Chrome and Edge channels.
import { describe, expect, test } from "vitest"
import { CHANNELS, findBrowser, installHint, usualPaths } from "../tools/find-browser.ts"

const on = (files: string[]) => (f: string) => files.includes(f)
const none = { playwrightBrowser: () => undefined, launchesChannel: async () => false }

describe("finding a browser for the report tests", () => {
    test("CHROME_PATH wins over everything installed, and naming no file is an error that says so", async () => {
        const opts = { ...none, platform: "linux" as const, exists: on(["/opt/my/chrome", "/usr/bin/chromium"]) }
        expect(await findBrowser({ ...opts, env: { CHROME_PATH: "/opt/my/chrome" } })).toEqual({ launch: { executablePath: "/opt/my/chrome" }, source: "CHROME_PATH" })
        await expect(findBrowser({ ...opts, env: { CHROME_PATH: "/opt/none" } })).rejects.toThrow(/CHROME_PATH is \/opt\/none, and there is no file there/)
    })

    test("the usual paths of each platform: Debian's chromium, Chrome on macOS, Edge on Windows", async () => {
        expect((await findBrowser({ ...none, env: {}, platform: "linux", exists: on(["/usr/bin/chromium", "/usr/bin/google-chrome"]) }))?.launch).toEqual({ executablePath: "/usr/bin/chromium" })
        const mac = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
        expect((await findBrowser({ ...none, env: {}, platform: "darwin", exists: on([mac]) }))?.launch).toEqual({ executablePath: mac })
        const edge = "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"
        const env = { PROGRAMFILES: "C:\\Program Files", "PROGRAMFILES(X86)": "C:\\Program Files (x86)" }
        expect(usualPaths("win32", env)).toContain(edge)
        expect((await findBrowser({ ...none, env, platform: "win32", exists: on([edge]) }))?.launch).toEqual({ executablePath: edge })
    })

    test("then playwright-core's own browser, then the first of its channels that launches", async () => {
        const own = "/home/u/.cache/ms-playwright/chromium-1/chrome-linux/chrome"
        expect((await findBrowser({ env: {}, platform: "linux", exists: on([own]), playwrightBrowser: () => own, launchesChannel: async () => true }))?.source).toMatch(/playwright-core's own browser/)
        const tried: string[] = []
        const launchesChannel = async (c: string) => (tried.push(c), c === "msedge")
        expect(await findBrowser({ env: {}, platform: "darwin", exists: on([]), playwrightBrowser: () => undefined, launchesChannel })).toEqual({
            launch: { channel: "msedge" },
            source: "playwright-core channel msedge",
        })
        expect(tried).toEqual(CHANNELS.slice(0, 2))
    })

    test("nothing found: undefined, and the hint names what to install on each platform", async () => {
        expect(await findBrowser({ ...none, env: {}, platform: "linux", exists: on([]) })).toBeUndefined()
        expect(installHint("linux")).toMatch(/apt-get install --no-install-recommends chromium/)
        expect(installHint("darwin")).toMatch(/Google Chrome/)
        expect(installHint("win32")).toMatch(/Microsoft Edge/)
    })
})
