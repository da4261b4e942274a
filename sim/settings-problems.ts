// The words for what is wrong with a board's settings, from the firmware's own tables and rules: used
// by `hfw settings --check` and `hfw deploy` on a settings file, and by the scenarios on the settings
// their parameters give a simulated joint (so both refuse what the firmware would).
import { JOINT_SETTINGS } from "../devs/joint/settings-schema.ts"
import { JOINT_SETTING_DOCS, JOINT_SETTING_RULE_DOCS } from "../devs/joint/settings-docs.ts"
import { JOINT_SETTING_RULES, inRange } from "../devs/joint/config.ts"

export interface RangeSpec {
    min: number
    max: number
    unit: string
}

/** a value as the user wrote it: JSON, but Infinity (1e400 in a file) and NaN by name, not as null */
export function formatValue(value: unknown): string {
    return typeof value === "number" && !Number.isFinite(value) ? String(value) : JSON.stringify(value)
}

/** "NAME = VALUE: accepted NOUN from MIN to MAX UNIT (DOC)", or "NAME missing: ..." */
export function rangeProblem(name: string, value: unknown, s: RangeSpec, doc: string, noun = "a number"): string {
    const what = value === undefined ? `${name} missing` : `${name} = ${formatValue(value)}`
    return `${what}: accepted ${noun} from ${s.min} to ${s.max}${s.unit ? ` ${s.unit}` : ""} (${doc})`
}

/** "NAME = VALUE: accepted WHAT", or "NAME missing: accepted WHAT" */
export function choiceProblem(name: string, value: unknown, accepted: string): string {
    return `${value === undefined ? `${name} missing` : `${name} = ${formatValue(value)}`}: accepted ${accepted}`
}

/** setting (or rule) `key`'s entry in one of its board's docs tables; a missing entry is a bug */
export function settingDoc(docs: Record<string, string>, key: string): string {
    const doc = docs[key]
    if (doc === undefined) throw new Error(`setting ${key} has no entry in its board's settings-docs.ts`)
    return doc
}

/** one problem per joint setting out of its range, then (once every one is a number) per broken rule */
export function jointSettingValueProblems(d: Record<string, unknown>): string[] {
    const problems: string[] = []
    for (const s of JOINT_SETTINGS) if (!inRange(s, d[s.key] as number)) problems.push(rangeProblem(s.key, d[s.key], s, settingDoc(JOINT_SETTING_DOCS, s.key)))
    // the rules compare settings with each other: checked once every setting is a number (a value out
    // of its range is reported above and may break a rule too, which is reported as well)
    if (JOINT_SETTINGS.every(s => typeof d[s.key] === "number" && Number.isFinite(d[s.key]))) {
        const values = d as Record<string, number>
        for (const r of JOINT_SETTING_RULES) if (!r.holds(values)) problems.push(`${r.key} = ${values[r.key]}: accepted ${settingDoc(JOINT_SETTING_RULE_DOCS, r.key)}`)
    }
    return problems
}
