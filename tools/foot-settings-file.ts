// A foot board's settings file (settings/<foot id>.json): the foot id and one field per FOOT_SETTINGS
// key, each a list of one number per cell. Validated on the host with the firmware's own table and
// rules before anything talks to a board; a bad file is refused with every bad field named.
import { CELLS } from "../devs/foot/config.ts"
import { FOOT_SETTING_RULES, FOOT_SETTINGS, cellsInRange } from "../devs/foot/settings-schema.ts"
import { FOOT_SETTING_DOCS, FOOT_SETTING_RULE_DOCS } from "../devs/foot/settings-docs.ts"
import { BOARD_IDS } from "./deploy/board-kinds.ts"
import { choiceProblem, rangeProblem, settingDoc } from "../sim/settings-problems.ts"
import { markdownTable, parseValidSettings, readSettingsText, settingsObject, unknownFieldProblems } from "./settings-file.ts"

const FOOT_IDS = BOARD_IDS.foot

export interface FootSettingsFile {
    footId: string
    /** by FOOT_SETTINGS key: one value per cell */
    values: Record<string, number[]>
}

/** Every problem with a parsed foot settings file; [] when it is valid. */
export function footSettingsProblems(doc: unknown): string[] {
    const d = settingsObject(doc)
    if (typeof d === "string") return [d]
    const problems: string[] = []
    if (!FOOT_IDS.includes(d.footId as string)) problems.push(choiceProblem("footId", d.footId, FOOT_IDS.join(", ")))
    problems.push(...unknownFieldProblems(d, ["footId", ...FOOT_SETTINGS.map(s => s.key)]))
    for (const s of FOOT_SETTINGS) {
        const v = d[s.key]
        if (!Array.isArray(v) || v.length !== CELLS) problems.push(rangeProblem(s.key, v, s, settingDoc(FOOT_SETTING_DOCS, s.key), `a list of ${CELLS} numbers (one per cell)`))
        else v.forEach((x, i) => (typeof x === "number" && x >= s.min && x <= s.max) || problems.push(rangeProblem(`${s.key}[${i}]`, x, s, settingDoc(FOOT_SETTING_DOCS, s.key))))
    }
    // the rules compare cells with each other: checked once every value is in range
    if (FOOT_SETTINGS.every(s => cellsInRange(s, d[s.key]))) {
        const v = FOOT_SETTINGS.map(s => d[s.key] as number[])
        for (const r of FOOT_SETTING_RULES) if (!r.holds(v)) problems.push(`${r.key} = ${JSON.stringify(d[r.key])}: accepted ${settingDoc(FOOT_SETTING_RULE_DOCS, r.key)}`)
    }
    return problems
}

/** Parses and validates foot settings file text; throws SettingsError naming every bad field. */
export function parseFootSettings(text: string, source: string): FootSettingsFile {
    const d = parseValidSettings(text, source, footSettingsProblems)
    const values: Record<string, number[]> = {}
    for (const s of FOOT_SETTINGS) values[s.key] = d[s.key] as number[]
    return { footId: d.footId as string, values }
}

export function readFootSettingsFile(file: string): FootSettingsFile {
    return parseFootSettings(readSettingsText(file), file)
}

/** The foot settings table of the docs, rendered from FOOT_SETTINGS and FOOT_SETTING_RULES. */
export function footSettingsMarkdown(): string {
    const rules = new Map(FOOT_SETTING_RULES.map(r => [r.key, settingDoc(FOOT_SETTING_RULE_DOCS, r.key)]))
    const rows = FOOT_SETTINGS.map(s => {
        const also = rules.has(s.key) ? `; ${rules.get(s.key)}` : ""
        const cells = s.cells.map(c => `${Number(c.toPrecision(4))}`).join(", ")
        return [`\`${s.key}\``, s.unit || "-", `${s.min}`, `${s.max}`, cells, settingDoc(FOOT_SETTING_DOCS, s.key) + also]
    })
    return markdownTable(["setting (per cell)", "unit", "min", "max", "default (cells 0, 1, 2, 3)", "meaning"], rows)
}
