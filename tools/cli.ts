// The `hfw` command line. `--json` prints exactly one JSON object on stdout; human text goes to stderr.
import { UsageError } from "../sim/errors.ts"
import { buildBoards, formatBuildTable } from "./build.ts"
import { parseOptions } from "./options.ts"
import { BENCH_USAGE, runBenchCommand } from "./bench-command.ts"
import { DEPLOY_USAGE, runDeployCommand } from "./deploy-command.ts"
import { FLASH_USAGE, runFlashCommand } from "./flash-command.ts"
import { runSettingsCommand, SETTINGS_USAGE } from "./settings-command.ts"
import { runSimCommand, SIM_USAGE } from "./sim-command.ts"
import { runWatchCommand, WATCH_USAGE } from "./watch-command.ts"

type Command = { usage: string; run: (argv: string[]) => Promise<number> }

const COMMANDS: Record<string, Command> = {
    build: { usage: "hfw build [--board joint|foot|demo|cpucal|all] [--json]", run: buildCommand },
    sim: { usage: SIM_USAGE, run: runSimCommand },
    settings: { usage: SETTINGS_USAGE, run: runSettingsCommand },
    deploy: { usage: DEPLOY_USAGE, run: runDeployCommand },
    flash: { usage: FLASH_USAGE, run: runFlashCommand },
    bench: { usage: BENCH_USAGE, run: runBenchCommand },
    watch: { usage: WATCH_USAGE, run: runWatchCommand },
}

async function buildCommand(argv: string[]): Promise<number> {
    const { values } = parseOptions(argv, { board: { type: "string", default: "all" }, json: { type: "boolean" } }, COMMANDS.build.usage)
    const result = buildBoards(values.board!, line => process.stderr.write(line + "\n"))
    for (const b of result.boards) if (b.error) process.stderr.write(`error: ${b.error}\n`)
    process.stderr.write(formatBuildTable(result.boards) + "\n")
    if (values.json) process.stdout.write(JSON.stringify(result) + "\n")
    return result.ok ? 0 : 1
}

async function main(argv: string[]): Promise<number> {
    const [name, ...rest] = argv
    const cmd = COMMANDS[name]
    if (!cmd) {
        const list = Object.values(COMMANDS).map(c => "  " + c.usage).join("\n")
        const what = name ? `unknown command '${name}'` : "no command given"
        process.stderr.write(`hfw: ${what}; accepted commands:\n${list}\n`)
        return 2
    }
    return cmd.run(rest)
}

// jacdac-ts reports its transports' chatter ("tcp: connecting") with console.debug, on stdout
console.debug = process.env.HFW_DEBUG ? (...args: unknown[]) => console.error(...args) : () => {}

try {
    process.exitCode = await main(process.argv.slice(2))
} catch (e) {
    if (e instanceof UsageError) {
        process.stderr.write(`hfw: ${e.message}\n`)
        process.exitCode = 2
    } else {
        process.stderr.write(`hfw: ${(e as Error).stack ?? e}\n`)
        process.exitCode = 1
    }
}
