import { parseArgs, type ParseArgsConfig } from "node:util"
import { UsageError } from "../sim/errors.ts"

type Options = NonNullable<ParseArgsConfig["options"]>

/** node:util parseArgs, strict, with errors that say what is accepted and end in the command's usage line. */
export function parseOptions<T extends Options>(argv: string[], options: T, usage: string) {
    try {
        return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true })
    } catch (e) {
        throw new UsageError(`${parseErrorMessage(e as Error & { code?: string }, options)}\nusage: ${usage}`)
    }
}

/** parseOptions for commands that take options only: a stray word is an error naming the usage */
export function parseFlags<T extends Options>(argv: string[], options: T, usage: string) {
    const { values, positionals } = parseOptions(argv, options, usage)
    if (positionals.length) throw new UsageError(`unexpected '${positionals.join(" ")}'\nusage: ${usage}`)
    return values
}

/**
 * `--duration -1` as `--duration=-1`: parseArgs takes a value that starts with '-' for an option and
 * calls it ambiguous, so a negative number after an option that takes a value is joined to it (and
 * then refused, or accepted, by that option's own range check).
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
    const out: string[] = []
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--") {
            out.push(...argv.slice(i))
            break
        }
        const name = /^--([^=]+)$/.exec(argv[i])?.[1]
        const next = argv[i + 1] ?? ""
        if (name && options[name]?.type === "string" && /^-(\d|\.\d|Infinity)/.test(next)) {
            out.push(`--${name}=${next}`)
            i++
        } else out.push(argv[i])
    }
    return out
}

function parseErrorMessage(e: Error & { code?: string }, options: Options): string {
    const accepted = Object.entries(options)
        .map(([k, o]) => `--${k}${o.type === "string" ? " VALUE" : ""}`)
        .join(", ")
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
        const option = /Unknown option '([^']+)'/.exec(e.message)?.[1] ?? "?"
        return `unknown option '${option}'; accepted: ${accepted}, --help`
    }
    return e.message.split("\n")[0]
}

/** `--duration S`: seconds of simulated time, more than 0 and at most a day (undefined when not given) */
export function parseDurationS(text: string | undefined): number | undefined {
    if (text === undefined) return undefined
    const durationS = Number(text)
    if (!(durationS > 0 && durationS <= 86400)) throw new UsageError(`--duration '${text}' is not accepted; seconds, more than 0 and at most 86400`)
    return durationS
}
