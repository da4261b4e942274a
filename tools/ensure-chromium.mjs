#!/usr/bin/env node
// Makes sure Debian's chromium is installed before `npm test`: the report tests open the HTML
// reports in it through playwright-core, which downloads no browser of its own. Installs it with
// apt-get when missing and this runs as root (a fresh CI machine); otherwise says what to install.
import { spawnSync } from "node:child_process"
import fs from "node:fs"

const CHROMIUM = "/usr/bin/chromium"

const hasAptGet = () => spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0

function run(args) {
    console.error(`ensure-chromium: ${args.join(" ")}`)
    const r = spawnSync(args[0], args.slice(1), { stdio: "inherit" })
    if (r.status !== 0) {
        console.error(`ensure-chromium: '${args.join(" ")}' failed (${r.error?.message ?? `exit ${r.status}`})`)
        process.exit(1)
    }
}

if (!fs.existsSync(CHROMIUM)) {
    if (process.getuid?.() === 0 && hasAptGet()) {
        console.error(`ensure-chromium: ${CHROMIUM} is missing; the report tests need it. Installing Debian's chromium package with apt-get.`)
        run(["apt-get", "update"])
        run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"])
        if (!fs.existsSync(CHROMIUM)) {
            console.error(`ensure-chromium: the chromium package is installed but ${CHROMIUM} is still missing`)
            process.exit(1)
        }
    } else {
        console.error(
            `ensure-chromium: ${CHROMIUM} is missing; the report tests open the HTML reports in it.\n` +
                `Install Debian's chromium package as root: apt-get install --no-install-recommends chromium`,
        )
        process.exit(1)
    }
}
