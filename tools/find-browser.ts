// Finds the Chrome, Chromium or Edge a user has, for the tests that open reports in a headless
// browser through playwright-core (which downloads no browser of its own here). In order: the
// CHROME_PATH environment variable (an error if it names nothing), the usual install paths of this
// platform, a browser playwright-core installed itself, then playwright-core's channels (Chrome or
// Edge where their installers put them), each tried by launching it. None found: `installHint` says
// what to install.
import fs from "node:fs"
import path from "node:path"
import { chromium } from "playwright-core"

/** how to launch the browser found, and where it came from */
export interface FoundBrowser {
    /** playwright-core launch options: a path, or a channel */
    launch: { executablePath: string } | { channel: string }
    /** said to the user: "CHROME_PATH", "/usr/bin/chromium", "playwright-core channel chrome" */
    source: string
}

export interface FindOptions {
    env?: NodeJS.ProcessEnv
    platform?: NodeJS.Platform
    exists?: (file: string) => boolean
    /** playwright-core's own browser, if it installed one (chromium.executablePath()) */
    playwrightBrowser?: () => string | undefined
    /** true if playwright-core can launch this channel */
    launchesChannel?: (channel: string) => Promise<boolean>
}

/** playwright-core's channels for Chrome and Edge, stable first */
export const CHANNELS = ["chrome", "msedge", "chrome-beta", "msedge-beta", "chrome-dev", "msedge-dev"]

/** where Chrome, Chromium and Edge install themselves, by platform */
export function usualPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
    if (platform === "darwin") {
        const apps = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium", "Microsoft Edge.app/Contents/MacOS/Microsoft Edge"]
        return ["/Applications", ...(env.HOME ? [path.join(env.HOME, "Applications")] : [])].flatMap(dir => apps.map(a => `${dir}/${a}`))
    }
    if (platform === "win32") {
        const roots = [env.PROGRAMFILES, env["PROGRAMFILES(X86)"], env.LOCALAPPDATA].filter((r): r is string => !!r)
        const apps = ["Google\\Chrome\\Application\\chrome.exe", "Chromium\\Application\\chrome.exe", "Microsoft\\Edge\\Application\\msedge.exe"]
        return roots.flatMap(r => apps.map(a => path.win32.join(r, a)))
    }
    return [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
        "/usr/bin/google-chrome-stable",
        "/opt/google/chrome/chrome",
        "/usr/bin/microsoft-edge",
        "/opt/microsoft/msedge/msedge",
        "/snap/bin/chromium",
    ]
}

export async function findBrowser(opts: FindOptions = {}): Promise<FoundBrowser | undefined> {
    const env = opts.env ?? process.env
    const exists = opts.exists ?? ((f: string) => fs.existsSync(f))
    if (env.CHROME_PATH) {
        if (!exists(env.CHROME_PATH)) throw new Error(`CHROME_PATH is ${env.CHROME_PATH}, and there is no file there; set it to a Chrome, Chromium or Edge executable, or unset it`)
        return { launch: { executablePath: env.CHROME_PATH }, source: "CHROME_PATH" }
    }
    const usual = usualPaths(opts.platform ?? process.platform, env).find(exists)
    if (usual) return { launch: { executablePath: usual }, source: usual }
    const own = (opts.playwrightBrowser ?? playwrightBrowser)()
    if (own && exists(own)) return { launch: { executablePath: own }, source: `playwright-core's own browser (${own})` }
    const launches = opts.launchesChannel ?? launchesChannel
    for (const channel of CHANNELS) if (await launches(channel)) return { launch: { channel }, source: `playwright-core channel ${channel}` }
    return undefined
}

function playwrightBrowser(): string | undefined {
    try {
        return chromium.executablePath()
    } catch {
        return undefined // a platform it has no build for: no path to give
    }
}

async function launchesChannel(channel: string): Promise<boolean> {
    try {
        await (await chromium.launch({ channel, args: ["--no-sandbox", "--disable-gpu"] })).close()
        return true
    } catch {
        return false // "Chromium distribution 'chrome' is not found at ...": the next one
    }
}

/** what to install where nothing was found, for this platform */
export function installHint(platform: NodeJS.Platform = process.platform): string {
    if (platform === "darwin") return "Install Google Chrome, or Chromium (brew install --cask chromium), or set CHROME_PATH to the browser's executable."
    if (platform === "win32") return "Install Google Chrome or Microsoft Edge, or set CHROME_PATH to chrome.exe or msedge.exe."
    return "Install Chromium (Debian/Ubuntu: apt-get install --no-install-recommends chromium; Fedora: dnf install chromium) or Google Chrome, or set CHROME_PATH to the browser's executable."
}
