// What every board's settings file has in common: where the repository keeps them, reading one as
// JSON, the error that names every bad field, and the wording of those fields' problems.
import fs from "node:fs"
import path from "node:path"
import { REPO_ROOT } from "../sim/firmware.ts"

export const SETTINGS_DIR = path.join(REPO_ROOT, "settings")

/** the repository's settings file of a joint or foot (left_knee, left_foot, ...) */
export const settingsFileOf = (id: string) => path.join(SETTINGS_DIR, `${id}.json`)

/** A settings file that failed validation; `problems` has one line per bad field (or the one reason it could not be read). */
export class SettingsError extends Error {
    constructor(
        readonly source: string,
        readonly problems: string[],
        /** what went wrong, when it is not bad fields: "not JSON", "cannot read it" */
        headline?: string
    ) {
        super(headline ? `${source}: ${[headline, ...problems].join(": ")}` : `${source}: ${problems.length} bad field(s):\n${problems.map(p => "  " + p).join("\n")}`)
    }
}

/** the parsed JSON of a settings file's text; a SettingsError when it is not JSON */
export function parseSettingsJson(text: string, source: string): unknown {
    try {
        return JSON.parse(text)
    } catch (e) {
        throw new SettingsError(source, [(e as Error).message], "not JSON")
    }
}

/** the file's object once `problemsOf` finds nothing wrong with it; a SettingsError naming every problem */
export function parseValidSettings(text: string, source: string, problemsOf: (doc: unknown) => string[]): Record<string, unknown> {
    const doc = parseSettingsJson(text, source)
    const problems = problemsOf(doc)
    if (problems.length === 1 && problems[0] === NOT_AN_OBJECT) throw new SettingsError(source, [`it holds ${JSON.stringify(doc)?.slice(0, 40)}`], NOT_AN_OBJECT)
    if (problems.length) throw new SettingsError(source, problems)
    return doc as Record<string, unknown>
}

/** the text of a settings file; a SettingsError when it cannot be read */
export function readSettingsText(file: string): string {
    try {
        return fs.readFileSync(file, "utf8")
    } catch (e) {
        throw new SettingsError(file, [(e as Error).message], "cannot read it")
    }
}

const NOT_AN_OBJECT = "the file must hold one JSON object"

/** the file's top-level object, or the one problem that it is not one */
export function settingsObject(doc: unknown): Record<string, unknown> | string {
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) return NOT_AN_OBJECT
    return doc as Record<string, unknown>
}

/** one problem per field of `d` that is not in `known` */
export function unknownFieldProblems(d: Record<string, unknown>, known: string[]): string[] {
    const set = new Set(known)
    return Object.keys(d)
        .filter(k => !set.has(k))
        .map(k => `${k}: not a setting; accepted ${known.join(", ")}`)
}

/** a markdown table from its header and rows */
export function markdownTable(header: string[], rows: string[][]): string {
    const line = (cells: string[]) => `| ${cells.map(c => c.replace(/\|/g, "\\|")).join(" | ")} |`
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n")
}
