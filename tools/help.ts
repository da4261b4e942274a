// `hfw --help`, `hfw help [COMMAND [SCENARIO|PROTOCOL]]`, `hfw COMMAND ... --help`: every usage line with
// what it does; for `sim` the scenarios (one scenario's parameters), for `bench` the protocols (one
// protocol's parameters). The README's command table lists the same usage lines (test/cli.test.ts).
import { UsageError } from "../sim/errors.ts"
import { COMMON_PARAMS, describeParam, TARGET_PARAMS, type ParamSpecs } from "../sim/params.ts"
import { findScenario, SCENARIOS } from "../sim/scenarios/index.ts"
import { BUILD_USAGE } from "./build.ts"
import { CPU_USAGE, PROTOCOL_USAGE } from "./bench-command.ts"
import { COMPARE_USAGE, FIT_USAGE } from "./bench/fit-command.ts"
import { PLANT_PARAMS, PROTOCOLS, protocolsFor } from "./bench/run-bench.ts"
import { DEPLOY_USAGE } from "./deploy-command.ts"
import { FLASH_USAGE } from "./flash-command.ts"
import { SERVE_USAGE } from "./serve-command.ts"
import { SETTINGS_USAGE } from "./settings-command.ts"
import { RUN_USAGE, SCENARIO_USAGE } from "./sim-command.ts"
import { MERGE_USAGE, SWEEP_USAGE } from "./sweep-command.ts"
import { WATCH_USAGE } from "./watch-command.ts"

export const HELP_USAGE = "hfw help [COMMAND [SCENARIO|PROTOCOL]]"

export interface UsageLine {
    command: string
    usage: string
    does: string
}

export const USAGE_LINES: readonly UsageLine[] = [
    { command: "build", usage: BUILD_USAGE, does: "compile each board's program (a board whose inputs are unchanged is up to date and not compiled again); its size against its budget" },
    { command: "sim", usage: SCENARIO_USAGE, does: "run a scenario in the co-simulator, print its summary; --out DIR: its trace (trace.mcap with zstd-compressed chunks and trace/*.csv, or with --trace one of them), summary.json and report.html" },
    { command: "sim", usage: SERVE_USAGE, does: "serve one simulated board on 127.0.0.1:P until Ctrl-C, for hfw deploy and hfw bench; kill -USR2 PID pulls its power (a restart)" },
    { command: "sim", usage: RUN_USAGE, does: "compile any DeviceScript program and run it on a simulated board: its log and CPU figures" },
    { command: "sim", usage: SWEEP_USAGE, does: "every combination of the seeds and parameter values on N worker threads (default: the cores), or the I-th of N shards of them: sweep.json, sweep.csv (a row a run) and report.html (each figure's distribution, the worst runs and the commands that rerun them)" },
    { command: "sim", usage: MERGE_USAGE, does: "join the --out folders of a sweep's shards into the files the unsharded sweep writes" },
    { command: "deploy", usage: DEPLOY_USAGE, does: "validate the settings, check the board's kind and id, write program and settings, verify" },
    { command: "flash", usage: FLASH_USAGE, does: "flash the DeviceScript runtime onto a board, then deploy (--dry-run prints the commands)" },
    { command: "settings", usage: SETTINGS_USAGE, does: "print the settings tables / validate settings files, naming every bad field" },
    { command: "bench", usage: PROTOCOL_USAGE, does: "bench-test one actuator: figures and pass/fail against its settings; --out DIR: trace and report" },
    { command: "bench", usage: FIT_USAGE, does: "fit the actuator plant's parameters from a bench run's --out folder" },
    { command: "bench", usage: COMPARE_USAGE, does: "replay a bench run on a simulated board and report the discrepancy" },
    { command: "bench", usage: CPU_USAGE, does: "measure a board's time per counted VM unit against the simulator's chip table" },
    { command: "watch", usage: WATCH_USAGE, does: "a live local page of one joint or foot board (the kind its program serves), read-only; a button records it to MCAP" },
    { command: "help", usage: HELP_USAGE, does: "this text; hfw COMMAND --help: one command's (the scenarios, the protocols, their parameters)" },
]

export const COMMAND_NAMES = [...new Set(USAGE_LINES.map(u => u.command))]

const FOOTER = [
    "--json prints exactly one JSON object on stdout; human text goes to stderr.",
    "exit status: 0 done (and, for sim and bench, measured); 1 it ran and failed, or measured nothing; 2 the command line was wrong.",
]

const listUsage = (lines: readonly UsageLine[]) => lines.flatMap(u => [`  ${u.usage}`, `      ${u.does}`])

const listParams = (specs: ParamSpecs) => Object.entries(specs).flatMap(([k, s]) => [`  --param ${describeParam(k, s)}`, `      ${s.doc}`])

/** the help for `words` (a command and maybe a scenario or protocol); a UsageError for an unknown one */
export function helpText(words: string[]): string {
    const [command, what] = words
    if (!command) return ["hfw: build, simulate, bench-test and deploy the humanoid's joint and foot board programs", "", ...listUsage(USAGE_LINES), "", ...FOOTER].join("\n")
    const lines = USAGE_LINES.filter(u => u.command === command)
    if (!lines.length) throw new UsageError(`unknown command '${command}'; accepted: ${COMMAND_NAMES.join(", ")}`)
    if (command === "sim") return simHelp(what).join("\n")
    if (command === "bench") return benchHelp(what).join("\n")
    return [...listUsage(lines), "", ...FOOTER].join("\n")
}

function simHelp(what: string | undefined): string[] {
    const lines = USAGE_LINES.filter(u => u.command === "sim")
    if (what === "serve" || what === "run" || what === "sweep" || what === "merge") return listUsage(lines.filter(u => u.usage.startsWith(`hfw sim ${what}`)))
    if (what) {
        const s = findScenario(what)
        return [`hfw sim ${s.name}: ${s.description}`, `default duration ${s.defaultDurationS} s`, "", "parameters (default, unit, range):", ...listParams({ ...s.params, ...COMMON_PARAMS })]
    }
    const scenarios = SCENARIOS.map(s => `  ${s.name.padEnd(16)} ${s.description}`)
    return [...listUsage(lines), "", "scenarios (hfw sim SCENARIO --help lists its parameters):", ...scenarios]
}

function benchHelp(what: string | undefined): string[] {
    const lines = USAGE_LINES.filter(u => u.command === "bench")
    if (what === "fit" || what === "compare" || what === "cpu") return listUsage(lines.filter(u => u.usage.startsWith(`hfw bench ${what}`)))
    if (what) {
        const protocols = protocolsFor(what)
        const params: ParamSpecs = Object.assign({}, ...protocols.map(p => p.params))
        return [
            ...protocols.map(p => `hfw bench ${p.name}: ${p.doc}`),
            "",
            "parameters (default, unit, range):",
            ...listParams(params),
            "",
            "with --target sim, also the simulated plant's and the target timing model's:",
            ...listParams({ ...PLANT_PARAMS, ...TARGET_PARAMS }),
        ]
    }
    const protocols = PROTOCOLS.map(p => `  ${p.name.padEnd(16)} ${p.doc}`)
    return [...listUsage(lines), "", "protocols (all runs them in this order; hfw bench PROTOCOL --help lists its parameters):", ...protocols]
}
