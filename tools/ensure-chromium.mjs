#!/usr/bin/env node
// Makes sure there is a browser for the report tests before `npm test`: they open the HTML reports in
// headless Chrome, Chromium or Edge through playwright-core, which downloads no browser of its own.
// Finds the one the user has (tools/find-browser.ts: CHROME_PATH, the usual paths, playwright-core's
// channels). None: installs Debian's chromium with apt-get where this runs as root on a machine with
// apt-get (a fresh CI machine); otherwise says exactly what to install.
import { spawnSync } from "node:child_process"
import { register } from "tsx/esm/api"

register()
const { findBrowser, installHint } = await import("./find-browser.ts")

const hasAptGet = () => spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0

function run(args) {
    console.error(`ensure-chromium: ${args.join(" ")}`)
    const r = spawnSync(args[0], args.slice(1), { stdio: "inherit" })
    if (r.status !== 0) {
        console.error(`ensure-chromium: '${args.join(" ")}' failed (${r.error?.message ?? `exit ${r.status}`})`)
        process.exit(1)
    }
}

async function found() {
    try {
        return await findBrowser()
    } catch (e) {
        console.error(`ensure-chromium: ${e.message}`)
        process.exit(1)
    }
}

let browser = await found()
if (!browser && process.platform === "linux" && process.getuid?.() === 0 && hasAptGet()) {
    console.error("ensure-chromium: no Chrome, Chromium or Edge found; the report tests need one. Installing Debian's chromium package with apt-get.")
    run(["apt-get", "update"])
    run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"])
    browser = await found()
}
if (!browser) {
    console.error(`ensure-chromium: no Chrome, Chromium or Edge found; the report tests open the HTML reports in one.\n${installHint()}`)
    process.exit(1)
}
console.error(`ensure-chromium: the report tests use ${browser.source}`)
