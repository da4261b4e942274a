// `hfw settings --markdown` prints the settings table of the docs (rendered from the firmware's own
// settings table); `hfw settings --check FILE ...` validates settings files as deploy does.
import { UsageError } from "../sim/errors.ts"
import { jointSettingsMarkdown, readJointSettingsFile, SettingsError } from "./joint-settings-file.ts"
import { parseOptions } from "./options.ts"

export const SETTINGS_USAGE = "hfw settings --markdown | --check FILE ..."

export async function runSettingsCommand(argv: string[]): Promise<number> {
    const { values, positionals } = parseOptions(argv, { markdown: { type: "boolean" }, check: { type: "boolean" } }, SETTINGS_USAGE)
    if (values.markdown && !values.check) {
        process.stdout.write(jointSettingsMarkdown() + "\n")
        return 0
    }
    if (values.check && !values.markdown && positionals.length) {
        let bad = 0
        for (const file of positionals) {
            try {
                const s = readJointSettingsFile(file)
                process.stderr.write(`${file}: ok (${s.jointId}, ${s.actuator} actuator)\n`)
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
