// A settings file of either board kind: read and validated by the kind's own rules, or by the kind
// its content names (`jointId` or `footId`) for `hfw settings --check`; and the docs' tables.
import { JD_SERIAL_MAX_PAYLOAD_SIZE } from "jacdac-ts"
import { BOARD_PROGRAM_SPECS, type BoardKind } from "./deploy/board-kinds.ts"
import { footSettingsMarkdown, parseFootSettings } from "./foot-settings-file.ts"
import { jointSettingsMarkdown, parseJointSettings } from "./joint-settings-file.ts"
import { parseSettingsJson, readSettingsText, SettingsError } from "./settings-file.ts"

export interface BoardSettings {
    board: BoardKind
    /** the joint or foot the file is for */
    id: string
    /** by setting key, as the kind's settings table has them */
    values: Record<string, number> | Record<string, number[]>
    /** for progress lines: "left_knee, large actuator" */
    summary: string
}

/** the settings in `text` for a `board` board; throws SettingsError naming every bad field */
export function parseBoardSettings(board: BoardKind, text: string, source: string): BoardSettings {
    const s = parseKind(board, text, source)
    // deploy writes the stored setting in one Settings `set` packet: its key, a NUL, the JSON
    const { settingKey, encode } = BOARD_PROGRAM_SPECS[board]
    const bytes = settingKey.length + 1 + Buffer.byteLength(JSON.stringify(encode(s.id, s.values)))
    if (bytes > JD_SERIAL_MAX_PAYLOAD_SIZE)
        throw new SettingsError(source, [`the stored settings take ${bytes} bytes; one Jacdac packet carries ${JD_SERIAL_MAX_PAYLOAD_SIZE}: write the values with fewer digits`])
    return s
}

function parseKind(board: BoardKind, text: string, source: string): BoardSettings {
    if (board === "foot") {
        const f = parseFootSettings(text, source)
        return { board, id: f.footId, values: f.values, summary: f.footId }
    }
    const j = parseJointSettings(text, source)
    return { board, id: j.jointId, values: j.values, summary: `${j.jointId}, ${j.actuator} actuator` }
}

/** the settings in `file` for a `board` board; throws SettingsError naming every bad field */
export function readBoardSettingsFile(board: BoardKind, file: string): BoardSettings {
    return parseBoardSettings(board, readSettingsText(file), file)
}

/**
 * the settings in `file` for the board `id` (a joint or foot) of kind `board`; a SettingsError when the
 * file is bad or is another board's (deploy and serve refuse a left knee's file for a right knee)
 */
export function readSettingsFor(board: BoardKind, id: string, file: string): BoardSettings {
    const settings = readBoardSettingsFile(board, file)
    if (settings.id !== id) throw new SettingsError(file, [], `it is for ${settings.id}, not for --joint ${id}`)
    return settings
}

/** the settings in `file`, of the board kind its content is for (a foot file has `footId`) */
export function readAnySettingsFile(file: string): BoardSettings {
    const text = readSettingsText(file)
    const doc = parseSettingsJson(text, file)
    const board: BoardKind = doc && typeof doc === "object" && "footId" in doc ? "foot" : "joint"
    return parseBoardSettings(board, text, file)
}

/** the settings tables of the docs, both boards */
export function settingsMarkdown(): string {
    return [
        "Joint board (`JOINT_SETTINGS` in `devs/joint/settings-schema.ts`, rules in `devs/joint/config.ts`):",
        "",
        jointSettingsMarkdown(),
        "",
        "Foot board (`FOOT_SETTINGS` and its rules in `devs/foot/settings-schema.ts`); each setting holds one value per cell, 0 heel outer, 1 heel inner, 2 toe outer, 3 toe inner:",
        "",
        footSettingsMarkdown(),
    ].join("\n")
}
