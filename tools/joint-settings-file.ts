// A joint board's settings file (settings/<joint id>.json): the joint id, its actuator size and one
// field per JOINT_SETTINGS key. Validated on the host with the firmware's own table and rules, before
// anything talks to a board; a bad file is refused with every bad field named and what is accepted.
import fs from "node:fs"
import path from "node:path"
import { REPO_ROOT } from "../sim/firmware.ts"
import { ROBOT_JOINTS } from "../sim/robot/joints.ts"
import { JOINT_SETTINGS, type ActuatorSize } from "../devs/joint/settings-schema.ts"
import { JOINT_SETTING_RULES, inRange } from "../devs/joint/config.ts"

export const SETTINGS_DIR = path.join(REPO_ROOT, "settings")
const ACTUATORS: ActuatorSize[] = ["large", "small"]
const JOINT_IDS = ROBOT_JOINTS.map(j => j.name)

export interface JointSettingsFile {
    jointId: string
    actuator: ActuatorSize
    /** by JOINT_SETTINGS key */
    values: Record<string, number>
}

/** A settings file that failed validation; `problems` has one line per bad field. */
export class SettingsError extends Error {
    constructor(
        readonly source: string,
        readonly problems: string[]
    ) {
        super(`${source}: ${problems.length} bad field(s):\n${problems.map(p => "  " + p).join("\n")}`)
    }
}

/** the repository's settings file of a joint */
export const settingsFileOf = (jointId: string) => path.join(SETTINGS_DIR, `${jointId}.json`)

/** Every problem with a parsed settings file; [] when it is valid. */
export function jointSettingsProblems(doc: unknown): string[] {
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) return ["the file must hold one JSON object"]
    const d = doc as Record<string, unknown>
    const problems: string[] = []
    const jointId = d.jointId
    const joint = ROBOT_JOINTS.find(j => j.name === jointId)
    if (!joint) problems.push(`jointId = ${JSON.stringify(jointId)}: accepted ${JOINT_IDS.join(", ")}`)
    if (!ACTUATORS.includes(d.actuator as ActuatorSize))
        problems.push(`actuator = ${JSON.stringify(d.actuator)}: accepted ${ACTUATORS.join(", ")}`)
    else if (joint && joint.actuator !== d.actuator)
        problems.push(`actuator = "${d.actuator}": ${joint.name} has the ${joint.actuator} actuator (design/plant.md)`)

    const known = new Set(["jointId", "actuator", ...JOINT_SETTINGS.map(s => s.key)])
    for (const key of Object.keys(d))
        if (!known.has(key)) problems.push(`${key}: not a setting; accepted jointId, actuator, ${JOINT_SETTINGS.map(s => s.key).join(", ")}`)

    for (const s of JOINT_SETTINGS) {
        const v = d[s.key]
        if (inRange(s, v as number)) continue
        const unit = s.unit ? ` ${s.unit}` : ""
        const what = v === undefined ? `${s.key} missing` : `${s.key} = ${JSON.stringify(v)}`
        problems.push(`${what}: accepted a number from ${s.min} to ${s.max}${unit} (${s.doc})`)
    }
    // the rules compare settings with each other: checked once every setting is a number (a value out
    // of its range is reported above and may break a rule too, which is reported as well)
    if (JOINT_SETTINGS.every(s => typeof d[s.key] === "number" && Number.isFinite(d[s.key]))) {
        const values = d as Record<string, number>
        for (const r of JOINT_SETTING_RULES) if (!r.holds(values)) problems.push(`${r.key} = ${values[r.key]}: accepted ${r.accepted}`)
    }
    return problems
}

/** Parses and validates settings file text; throws SettingsError naming every bad field. */
export function parseJointSettings(text: string, source: string): JointSettingsFile {
    let doc: unknown
    try {
        doc = JSON.parse(text)
    } catch (e) {
        throw new SettingsError(source, [`not JSON: ${(e as Error).message}`])
    }
    const problems = jointSettingsProblems(doc)
    if (problems.length) throw new SettingsError(source, problems)
    const d = doc as Record<string, unknown>
    const values: Record<string, number> = {}
    for (const s of JOINT_SETTINGS) values[s.key] = d[s.key] as number
    return { jointId: d.jointId as string, actuator: d.actuator as ActuatorSize, values }
}

export function readJointSettingsFile(file: string): JointSettingsFile {
    let text: string
    try {
        text = fs.readFileSync(file, "utf8")
    } catch (e) {
        throw new SettingsError(file, [`cannot read it: ${(e as Error).message}`])
    }
    return parseJointSettings(text, file)
}

/** The settings table of the docs, rendered from JOINT_SETTINGS and JOINT_SETTING_RULES. */
export function jointSettingsMarkdown(): string {
    const esc = (s: string) => s.replace(/\|/g, "\\|")
    const rules = new Map(JOINT_SETTING_RULES.map(r => [r.key, r.accepted]))
    const rows = JOINT_SETTINGS.map(s => {
        const also = rules.has(s.key) ? `; must be ${rules.get(s.key)}` : ""
        return `| \`${s.key}\` | ${s.unit || "-"} | ${s.min} | ${s.max} | ${s.large} | ${s.small} | ${esc(s.doc + also)} |`
    })
    return ["| setting | unit | min | max | default (large) | default (small) | meaning |", "| --- | --- | --- | --- | --- | --- | --- |", ...rows].join(
        "\n"
    )
}
