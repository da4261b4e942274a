// `hfw deploy --board joint|foot --joint ID [--settings FILE] [--reprovision] [--force] --target tcp:HOST:PORT`
// Settings are validated before anything connects; progress goes to stderr; every failure exits
// non-zero naming its step, and says whether the board was changed before it.
import fs from "node:fs"
import { UsageError } from "../sim/errors.ts"
import { bytecodePath } from "../sim/firmware.ts"
import { parseTcpTarget } from "../sim/net/tcp-transport.ts"
import { boardIdOption, boardKindOption } from "./deploy/board-kinds.ts"
import { DeployError, deploy } from "./deploy/deploy.ts"
import { readSettingsFor, type BoardSettings } from "./board-settings.ts"
import { settingsFileOf, SettingsError } from "./settings-file.ts"
import { parseFlags } from "./options.ts"

export const DEPLOY_USAGE = "hfw deploy --board joint|foot --joint ID [--settings FILE] [--reprovision] [--force] --target tcp:HOST:PORT"

export async function runDeployCommand(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            board: { type: "string" },
            joint: { type: "string" },
            settings: { type: "string" },
            reprovision: { type: "boolean" },
            force: { type: "boolean" },
            target: { type: "string" },
        },
        DEPLOY_USAGE
    )
    const board = boardKindOption(values.board)
    const jointId = boardIdOption(board, values.joint)
    if (!values.target) throw new UsageError(`--target is required\nusage: ${DEPLOY_USAGE}`)
    let target: { host: string; port: number }
    try {
        target = parseTcpTarget(values.target)
    } catch (e) {
        throw new UsageError((e as Error).message)
    }
    const fail = (step: string, message: string, state = "nothing on the board was changed") => {
        process.stderr.write(`hfw deploy: failed at step '${step}': ${message}\n  ${state}\n`)
        return 1
    }

    // 1. settings, before anything connects
    const file = values.settings ?? settingsFileOf(jointId)
    process.stderr.write(`validate settings ${file} ...\n`)
    let settings: BoardSettings
    try {
        settings = readSettingsFor(board, jointId, file)
    } catch (e) {
        if (e instanceof SettingsError) return fail("validate settings", e.message)
        throw e
    }
    const bcFile = bytecodePath(board)
    if (!fs.existsSync(bcFile)) return fail("read the program", `${bcFile} does not exist: run hfw build first (npx hfw build --board ${board})`)

    // Ctrl-C ends the deploy at its current step, which then says what it left on the board
    const interrupt = new AbortController()
    const onSigint = () => interrupt.abort()
    process.once("SIGINT", onSigint)
    try {
        const r = await deploy({
            board,
            jointId,
            settings,
            bytecode: fs.readFileSync(bcFile),
            host: target.host,
            port: target.port,
            reprovision: !!values.reprovision,
            force: !!values.force,
            signal: interrupt.signal,
            log: line => process.stderr.write(line + "\n"),
        })
        const was = r.previousJointId && r.previousJointId !== jointId ? ` (was ${r.previousJointId})` : ""
        process.stderr.write(`deployed ${board} program ${r.programSha256.slice(0, 16)}... to ${r.deviceId} as ${jointId}${was}: verified\n`)
        return 0
    } catch (e) {
        if (e instanceof DeployError) return fail(e.step, e.message, e.state)
        throw e
    } finally {
        process.off("SIGINT", onSigint)
    }
}
