// `hfw settings --markdown` prints the settings tables of the docs (rendered from the firmware's own
// settings tables); `hfw settings --check FILE ...` validates joint and foot settings files as deploy
// does (a file with `footId` is a foot's).
import { UsageError } from "../sim/errors.ts"
import { readAnySettingsFile, settingsMarkdown } from "./board-settings.ts"
import { parseOptions } from "./options.ts"
import { SettingsError } from "./settings-file.ts"

export const SETTINGS_USAGE = "hfw settings --markdown | --check FILE ..."

export async function runSettingsCommand(argv: string[]): Promise<number> {
    const { values, positionals } = parseOptions(argv, { markdown: { type: "boolean" }, check: { type: "boolean" } }, SETTINGS_USAGE)
    if (values.markdown && !values.check) {
        process.stdout.write(settingsMarkdown() + "\n")
        return 0
    }
    if (values.check && !values.markdown && positionals.length) {
        let bad = 0
        for (const file of positionals) {
            try {
                const s = readAnySettingsFile(file)
                process.stderr.write(`${file}: ok (${s.board} board: ${s.summary})\n`)
            } catch (e) {
                if (!(e instanceof SettingsError)) throw e
                process.stderr.write(`${e.message}\n`)
                bad++
            }
        }
        return bad ? 1 : 0
    }
    throw new UsageError(`usage: ${SETTINGS_USAGE}`)
}
