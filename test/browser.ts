// Opens an HTML report in headless Chrome, Chromium or Edge (the one the user has, found by
// tools/find-browser.ts; tools/ensure-chromium.mjs makes sure there is one before `npm test`) and says whether it loaded without errors and drew its plots: the page sets
// `window.drawnCharts` and `window.reportErrors` (sim/report/page.ts), and each uPlot canvas is
// read back to count the pixels drawn on it.
import { pathToFileURL } from "node:url"
import { chromium } from "playwright-core"
import { findBrowser, installHint, type FoundBrowser } from "../tools/find-browser.ts"

let found: Promise<FoundBrowser | undefined> | undefined
async function browserToLaunch(): Promise<FoundBrowser["launch"]> {
    const b = await (found ??= findBrowser())
    if (!b) throw new Error(`no Chrome, Chromium or Edge found for the report tests. ${installHint()}`)
    return b.launch
}
// no GPU, no network of its own (updates, sync, QUIC), nothing on first run: quick and offline
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
const LOAD_TIMEOUT_MS = 15_000
/** a pixel whose strongest and weakest colour channels differ by more than this is data, not grey */
const DATA_MIN_CHROMA = 40

export interface CanvasCheck {
    /** the plot's heading, or "" for a canvas outside a plot */
    title: string
    /** coloured pixels: the data (axes, grid and tick labels are grey and not counted) */
    drawnPixels: number
}

export interface FigureCheck {
    title: string
    /** data marks in the SVG as the browser laid it out (elements of class "mark") */
    marks: number
}

export interface PageCheck {
    /** console errors, uncaught page errors and the page's own `window.reportErrors` */
    errors: string[]
    drawnCharts: number
    canvases: CanvasCheck[]
    figures: FigureCheck[]
}

/** headless Chromium (or the Chrome or Edge found) with the tests' arguments */
export const launchBrowser = async () => chromium.launch({ ...(await browserToLaunch()), args: CHROMIUM_ARGS })

export async function renderInChromium(htmlPath: string, options: { screenshotPath?: string } = {}): Promise<PageCheck> {
    const browser = await launchBrowser()
    try {
        const page = await browser.newPage()
        const errors: string[] = []
        page.on("console", m => m.type() === "error" && errors.push(`console: ${m.text()}`))
        page.on("pageerror", e => errors.push(`page: ${e.message}`))
        await page.goto(pathToFileURL(htmlPath).href, { waitUntil: "load", timeout: LOAD_TIMEOUT_MS })
        await page.waitForFunction(() => typeof (window as any).drawnCharts === "number", undefined, { timeout: LOAD_TIMEOUT_MS })
        const state = await page.evaluate(MIN_CHROMA => {
            const w = window as any
            const canvases = [...document.querySelectorAll("canvas")].map(c => {
                const title = c.closest(".plot")?.querySelector("h3")?.textContent ?? ""
                const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data
                let drawnPixels = 0
                for (let i = 0; i < data.length; i += 4) {
                    const chroma = Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2])
                    if (data[i + 3] > 0 && chroma > MIN_CHROMA) drawnPixels++
                }
                return { title, drawnPixels }
            })
            const figures = [...document.querySelectorAll(".figure")].map(f => ({
                title: f.querySelector("h3")?.textContent ?? "",
                marks: f.querySelectorAll("svg .mark").length,
            }))
            return { drawnCharts: w.drawnCharts as number, reportErrors: (w.reportErrors ?? []) as string[], canvases, figures }
        }, DATA_MIN_CHROMA)
        if (options.screenshotPath) await page.screenshot({ path: options.screenshotPath, fullPage: true })
        // an uncaught error appears twice: as a page error and in the page's own list
        const all = [...errors, ...state.reportErrors.map(e => `report: ${e}`)]
        return { errors: all, drawnCharts: state.drawnCharts, canvases: state.canvases, figures: state.figures }
    } finally {
        await browser.close()
    }
}
