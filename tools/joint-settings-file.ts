// A joint board's settings file (settings/<joint id>.json): the joint id, its actuator size and one
// field per JOINT_SETTINGS key. Validated on the host with the firmware's own table and rules, before
// anything talks to a board; a bad file is refused with every bad field named and what is accepted.
import { ROBOT_JOINTS } from "../sim/robot/joints.ts"
import { JOINT_SETTINGS, type ActuatorSize, type JointSettings } from "../devs/joint/settings-schema.ts"
import { JOINT_SETTING_DOCS, JOINT_SETTING_RULE_DOCS } from "../devs/joint/settings-docs.ts"
import { JOINT_SETTING_RULES } from "../devs/joint/config.ts"
import { choiceProblem, jointSettingValueProblems, settingDoc } from "../sim/settings-problems.ts"
import { markdownTable, parseValidSettings, readSettingsText, settingsObject, unknownFieldProblems } from "./settings-file.ts"

const ACTUATORS: ActuatorSize[] = ["large", "small"]
const JOINT_IDS = ROBOT_JOINTS.map(j => j.name)

export interface JointSettingsFile {
    jointId: string
    actuator: ActuatorSize
    /** by JOINT_SETTINGS key */
    values: JointSettings
}

/** Every problem with a parsed settings file; [] when it is valid. */
export function jointSettingsProblems(doc: unknown): string[] {
    const d = settingsObject(doc)
    if (typeof d === "string") return [d]
    const problems: string[] = []
    const jointId = d.jointId
    const joint = ROBOT_JOINTS.find(j => j.name === jointId)
    if (!joint) problems.push(choiceProblem("jointId", jointId, JOINT_IDS.join(", ")))
    if (!ACTUATORS.includes(d.actuator as ActuatorSize)) problems.push(choiceProblem("actuator", d.actuator, ACTUATORS.join(", ")))
    else if (joint && joint.actuator !== d.actuator)
        problems.push(`actuator = "${d.actuator}": ${joint.name} has the ${joint.actuator} actuator (design/plant.md)`)

    problems.push(...unknownFieldProblems(d, ["jointId", "actuator", ...JOINT_SETTINGS.map(s => s.key)]))
    problems.push(...jointSettingValueProblems(d))
    return problems
}

/** Parses and validates settings file text; throws SettingsError naming every bad field. */
export function parseJointSettings(text: string, source: string): JointSettingsFile {
    const d = parseValidSettings(text, source, jointSettingsProblems)
    const values = {} as JointSettings
    for (const s of JOINT_SETTINGS) values[s.key] = d[s.key] as number
    return { jointId: d.jointId as string, actuator: d.actuator as ActuatorSize, values }
}

export function readJointSettingsFile(file: string): JointSettingsFile {
    return parseJointSettings(readSettingsText(file), file)
}

/** The joint settings table of the docs, rendered from JOINT_SETTINGS and JOINT_SETTING_RULES. */
export function jointSettingsMarkdown(): string {
    const rules = new Map(JOINT_SETTING_RULES.map(r => [r.key, settingDoc(JOINT_SETTING_RULE_DOCS, r.key)]))
    const rows = JOINT_SETTINGS.map(s => {
        const also = rules.has(s.key) ? `; must be ${rules.get(s.key)}` : ""
        return [`\`${s.key}\``, s.unit || "-", `${s.min}`, `${s.max}`, `${s.large}`, `${s.small}`, settingDoc(JOINT_SETTING_DOCS, s.key) + also]
    })
    return markdownTable(["setting", "unit", "min", "max", "default (large)", "default (small)", "meaning"], rows)
}
