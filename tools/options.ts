import { parseArgs, type ParseArgsConfig } from "node:util"
import { UsageError } from "../sim/errors.ts"

/** node:util parseArgs, strict, with errors that end in the command's usage line. */
export function parseOptions<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, usage: string) {
    try {
        return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
    } catch (e) {
        throw new UsageError(`${(e as Error).message.split("\n")[0]}\nusage: ${usage}`)
    }
}

/** parseOptions for commands that take options only: a stray word is an error naming the usage */
export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, usage: string) {
    const { values, positionals } = parseOptions(argv, options, usage)
    if (positionals.length) throw new UsageError(`unexpected '${positionals.join(" ")}'\nusage: ${usage}`)
    return values
}
