// The `hfw` command line. `--json` prints exactly one JSON object on stdout; human text goes to stderr.
// Exit 0: done; 1: it ran and failed (or measured nothing); 2: the command line was wrong.
// first: it wraps console.warn before jacdac-ts takes it
import { malformedFramesSummary } from "./framing-warnings.ts"
import { CommandError, UsageError } from "../sim/errors.ts"
import { BUILD_USAGE, buildBoards, formatBuildTable } from "./build.ts"
import { prepareVmInOwnProcess } from "./vm-preparation.ts"
import { parseOptions } from "./options.ts"
import { runBenchCommand } from "./bench-command.ts"
import { runDeployCommand } from "./deploy-command.ts"
import { runFlashCommand } from "./flash-command.ts"
import { runSettingsCommand } from "./settings-command.ts"
import { runSimCommand } from "./sim-command.ts"
import { runWatchCommand } from "./watch-command.ts"
import { COMMAND_NAMES, helpText } from "./help.ts"
import { staleBuildWarning, staleBuilds } from "../sim/build-stamp.ts"

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
    build: buildCommand,
    sim: runSimCommand,
    settings: runSettingsCommand,
    deploy: runDeployCommand,
    flash: runFlashCommand,
    bench: runBenchCommand,
    watch: runWatchCommand,
    help: async argv => printHelp(argv),
}

/**
 * the commands that run the built programs (a simulated board, a bench against one, a deploy): each
 * says first when a program's sources changed since it was built, as it runs the program as built.
 * (`sim run` compiles its own file; `sim merge` runs nothing.)
 */
const RUNS_BUILT_PROGRAMS: Record<string, (argv: string[]) => boolean> = {
    sim: argv => argv[0] !== "run" && argv[0] !== "merge",
    bench: () => true,
    deploy: () => true,
}

async function buildCommand(argv: string[]): Promise<number> {
    const { values } = parseOptions(argv, { board: { type: "string", default: "all" }, json: { type: "boolean" } }, BUILD_USAGE)
    // the simulator's VM too, beside the compiles (this command runs from the bundle, made fresh at its
    // start, unless HFW_TSX)
    const vm = prepareVmInOwnProcess(!process.env.HFW_TSX).then(
        () => undefined,
        (e: Error) => e.message
    )
    const result = await buildBoards(values.board!, line => process.stderr.write(line + "\n"))
    const vmError = await vm
    for (const b of result.boards) if (b.error) process.stderr.write(`error: ${b.error}\n`)
    if (vmError) process.stderr.write(`error: ${vmError}\n`)
    process.stderr.write(formatBuildTable(result.boards) + "\n")
    if (values.json) process.stdout.write(JSON.stringify(result) + "\n")
    return result.ok && !vmError ? 0 : 1
}

/** the help the user asked for, on stdout */
function printHelp(words: string[]): number {
    process.stdout.write(helpText(words) + "\n")
    return 0
}

/** `--help` or `-h` anywhere before `--` */
function asksForHelp(argv: string[]): boolean {
    const end = argv.indexOf("--")
    return (end < 0 ? argv : argv.slice(0, end)).some(a => a === "--help" || a === "-h")
}

async function main(argv: string[]): Promise<number> {
    const [name, ...rest] = argv
    // the command and the word after it (a scenario, a protocol, serve, fit ...) when it is not an option
    if (asksForHelp(argv)) return printHelp(name?.startsWith("-") ? [] : [name, ...(rest[0]?.startsWith("-") ? [] : rest.slice(0, 1))].filter(Boolean))
    const cmd = COMMANDS[name]
    if (!cmd) {
        const what = name ? `unknown command '${name}'` : "no command given"
        process.stderr.write(`hfw: ${what}; accepted: ${COMMAND_NAMES.join(", ")}\n\n${helpText([])}\n`)
        return 2
    }
    if (RUNS_BUILT_PROGRAMS[name]?.(rest)) {
        for (const stale of staleBuilds()) process.stderr.write(`hfw ${name}: ${staleBuildWarning(stale)}\n`)
    }
    return cmd(rest)
}

// jacdac-ts reports its transports' chatter ("tcp: connecting") with console.debug, on stdout
console.debug = process.env.HFW_DEBUG ? (...args: unknown[]) => console.error(...args) : () => {}

try {
    process.exitCode = await main(process.argv.slice(2))
} catch (e) {
    if (e instanceof UsageError) {
        process.stderr.write(`hfw: ${e.message}\n`)
        process.exitCode = 2
    } else if (e instanceof CommandError) {
        process.stderr.write(`hfw: ${e.message}\n`)
        process.exitCode = 1
    } else {
        process.stderr.write(`hfw: ${(e as Error).stack ?? e}\n`)
        process.exitCode = 1
    }
}
const malformed = malformedFramesSummary()
if (malformed) process.stderr.write(`hfw: ${malformed}\n`)
