// `hfw sim serve --board joint|foot --joint ID --port P [--settings FILE | --unprovisioned]`: one
// simulated board on 127.0.0.1:P until interrupted, powered up provisioned with its settings file
// (settings/ID.json by default). Port 0 picks a free port; the listening line on stderr names it.
// SIGUSR2 (`kill -USR2 PID`) pulls the board's power, as on a bench: it restarts from its flash.
import { CommandError, UsageError } from "../sim/errors.ts"
import { BOOT_MS, BROWN_OUT_OFF_MS } from "../sim/vm/board-vm.ts"
import { resolveParams, TARGET_PARAMS, targetOf } from "../sim/params.ts"
import type { JointSettings } from "../devs/joint/settings-schema.ts"
import { ROBOT_JOINTS } from "../sim/robot/joints.ts"
import { serveFootBoard } from "../sim/serve/served-foot.ts"
import { serveJointBoard } from "../sim/serve/served-joint.ts"
import { readSettingsFor, type BoardSettings } from "./board-settings.ts"
import { boardIdOption, boardKindOption } from "./deploy/board-kinds.ts"
import { parseFlags } from "./options.ts"
import { settingsFileOf, SettingsError } from "./settings-file.ts"

export const SERVE_USAGE = "hfw sim serve --board joint|foot --joint ID --port P [--settings FILE | --unprovisioned] [--param target=esp32|ideal ...]"

export async function runServeCommand(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            board: { type: "string" },
            joint: { type: "string" },
            port: { type: "string" },
            settings: { type: "string" },
            unprovisioned: { type: "boolean" },
            param: { type: "string", multiple: true },
        },
        SERVE_USAGE
    )
    const board = boardKindOption(values.board)
    const id = boardIdOption(board, values.joint)
    const port = Number(values.port)
    if (values.port === undefined || !(Number.isInteger(port) && port >= 0 && port < 65536))
        throw new UsageError(`--port '${values.port ?? ""}' is not accepted; a TCP port from 1 to 65535 (0: any free port)`)
    if (values.settings && values.unprovisioned) throw new UsageError("--settings and --unprovisioned exclude each other")

    let settings: BoardSettings | undefined
    if (!values.unprovisioned) {
        try {
            settings = readSettingsFor(board, id, values.settings ?? settingsFileOf(id))
        } catch (e) {
            if (e instanceof SettingsError) {
                process.stderr.write(`hfw: ${e.message}\n`)
                return 1
            }
            throw e
        }
    }
    // the board keeps the target's time (target=esp32 by default), as a scenario's boards do
    const target = targetOf(resolveParams(TARGET_PARAMS, values.param ?? []))
    const common = {
        name: id,
        port,
        target,
        onLog: (line: string) => process.stderr.write(`[board] ${line}\n`),
        onError: (message: string) => process.stderr.write(`hfw: ${message}\n`),
        onNotice: (line: string) => process.stderr.write(`hfw sim serve: ${line}\n`),
    }
    let served: { port: number; restart(): void; close(): Promise<void> }
    let what: string
    if (board === "joint") {
        const joint = ROBOT_JOINTS.find(j => j.name === id)!
        const provisioned = settings && { jointId: settings.id, values: settings.values as JointSettings }
        served = await serveJointBoard({ ...common, actuator: joint.actuator, provisioned })
        what = `joint board (${joint.actuator} actuator`
    } else {
        const provisioned = settings && { footId: settings.id, values: settings.values as Record<string, number[]> }
        served = await serveFootBoard({ ...common, provisioned })
        what = "foot board (walking in place"
    }
    const provisioned = settings ? `provisioned as ${settings.id}` : "unprovisioned"
    process.stderr.write(
        `serving a simulated ${what}, ${provisioned}, target=${target.target}) on tcp:127.0.0.1:${served.port}, in wall-clock time; ` +
            `Ctrl-C stops; kill -USR2 ${process.pid} pulls its power (a restart)\n`
    )
    const restart = () => {
        try {
            served.restart()
            process.stderr.write(`hfw sim serve: the board's power pulled for ${BROWN_OUT_OFF_MS + BOOT_MS} ms (a brown-out and its boot): it starts again from its flash, RAM lost\n`)
        } catch (e) {
            if (!(e instanceof CommandError)) throw e
            process.stderr.write(`hfw sim serve: ${e.message}\n`)
        }
    }
    process.on("SIGUSR2", restart)
    await new Promise<void>(resolve => {
        process.once("SIGINT", resolve)
        process.once("SIGTERM", resolve)
    })
    process.off("SIGUSR2", restart)
    await served.close()
    return 0
}
