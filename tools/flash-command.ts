// `hfw flash --board joint|foot --joint ID [--port SERIAL] [--settings FILE] [--reprovision] [--dry-run]`
// Flashes the DeviceScript runtime for the board's configuration (boards/*.board.json) with
// `devs flash esp32`, which downloads the runtime image (network access) and runs esptool (Python's
// `esptool` package: `pip install esptool`); then bridges the board to TCP with `devs devtools`
// (tcp:127.0.0.1:8082) and deploys the program and settings through it with `hfw deploy`.
// `--dry-run` prints the commands and runs none. Not yet run against hardware.
import { spawn, spawnSync } from "node:child_process"
import path from "node:path"
import { createRequire } from "node:module"
import { UsageError } from "../sim/errors.ts"
import { REPO_ROOT } from "../sim/firmware.ts"
import { BOARD_CONFIGS, boardKindOption } from "./deploy/board-kinds.ts"
import { parseFlags } from "./options.ts"

export const FLASH_USAGE = "hfw flash --board joint|foot --joint ID [--port SERIAL] [--settings FILE] [--reprovision] [--dry-run]"
const DEVTOOLS_TCP = "tcp:127.0.0.1:8082"
/** time `devs devtools` is given to open the serial port and its TCP bridge */
const DEVTOOLS_START_MS = 4000

export async function runFlashCommand(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            board: { type: "string" },
            joint: { type: "string" },
            port: { type: "string" },
            settings: { type: "string" },
            reprovision: { type: "boolean" },
            "dry-run": { type: "boolean" },
        },
        FLASH_USAGE
    )
    const board = boardKindOption(values.board)
    if (!values.joint) throw new UsageError(`--joint is required\nusage: ${FLASH_USAGE}`)

    const devs = createRequire(import.meta.url).resolve("@devicescript/cli/built/devicescript-cli.cjs")
    const boardId = path.basename(BOARD_CONFIGS[board], ".board.json")
    const flash = [process.execPath, devs, "flash", "esp32", "--board", boardId, ...(values.port ? ["--port", values.port] : [])]
    // devtools finds the serial port itself (it has no option to name one)
    const devtools = [process.execPath, devs, "devtools", "--serial"]
    const deploy = [
        process.execPath,
        path.join(REPO_ROOT, "tools", "hfw.mjs"),
        "deploy",
        "--board",
        board,
        "--joint",
        values.joint,
        ...(values.settings ? ["--settings", values.settings] : []),
        ...(values.reprovision ? ["--reprovision"] : []),
        "--target",
        DEVTOOLS_TCP,
    ]
    const show = (cmd: string[]) => cmd.map(a => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(" ")
    if (values["dry-run"]) {
        process.stdout.write(`${show(flash)}\n${show(devtools)} &\n${show(deploy)}\nkill %1\n`)
        return 0
    }

    process.stderr.write(`flash the DeviceScript runtime: ${show(flash)}\n`)
    const f = spawnSync(flash[0], flash.slice(1), { cwd: REPO_ROOT, stdio: "inherit" })
    if (f.status !== 0) {
        process.stderr.write(`hfw flash: failed at step 'flash the runtime' (devs flash exited with ${f.status ?? f.signal}); the program was not deployed\n`)
        return 1
    }
    process.stderr.write(`bridge the board to ${DEVTOOLS_TCP}: ${show(devtools)}\n`)
    const bridge = spawn(devtools[0], devtools.slice(1), { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] })
    try {
        await new Promise(r => setTimeout(r, DEVTOOLS_START_MS))
        process.stderr.write(`deploy: ${show(deploy)}\n`)
        const d = spawnSync(deploy[0], deploy.slice(1), { cwd: REPO_ROOT, stdio: "inherit" })
        return d.status === 0 ? 0 : 1
    } finally {
        bridge.kill()
    }
}
