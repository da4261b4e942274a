// Joint settings files: the repository's files are valid, a bad file is refused with every bad field
// named, and the docs' table is the one generated from the firmware's settings table.
import fs from "node:fs"
import path from "node:path"
import { describe, expect, test } from "vitest"
import { REPO_ROOT } from "../sim/firmware.ts"
import { ROBOT_JOINTS } from "../sim/robot/joints.ts"
import { settingsMarkdown } from "../tools/board-settings.ts"
import { parseJointSettings, readJointSettingsFile } from "../tools/joint-settings-file.ts"
import { settingsFileOf, SettingsError } from "../tools/settings-file.ts"
import { firstInvalidSetting, JOINT_SETTING_RULES } from "../devs/joint/config.ts"
import { encodeFootSettings, firstInvalidFootSetting, FOOT_SETTING_RULES, FOOT_SETTINGS } from "../devs/foot/settings-schema.ts"
import { FOOT_SETTING_DOCS, FOOT_SETTING_RULE_DOCS } from "../devs/foot/settings-docs.ts"
import { JOINT_SETTINGS } from "../devs/joint/settings-schema.ts"
import { JOINT_SETTING_DOCS, JOINT_SETTING_RULE_DOCS } from "../devs/joint/settings-docs.ts"
import { parseFootSettings, readFootSettingsFile } from "../tools/foot-settings-file.ts"
import { parseBoardSettings, readAnySettingsFile } from "../tools/board-settings.ts"

/** the problems `parse` finds in `doc`; fails when it accepts it */
const problemsOf = (parse: (text: string, source: string) => unknown, doc: unknown): string[] => {
    try {
        parse(JSON.stringify(doc), "test.json")
    } catch (e) {
        if (e instanceof SettingsError) return e.problems
        throw e
    }
    throw new Error("accepted")
}
const refused = (doc: unknown) => problemsOf(parseJointSettings, doc)

describe("joint settings files", () => {
    test("every joint of the robot has a valid file with its id and actuator size, also valid for the firmware", () => {
        for (const j of ROBOT_JOINTS) {
            const s = readJointSettingsFile(settingsFileOf(j.name))
            expect(s.jointId).toBe(j.name)
            expect(s.actuator).toBe(j.actuator)
            expect(s.values.torqueNm).toBe(j.peakTorqueNm)
            expect(firstInvalidSetting(s.values)).toBe(-1)
        }
    })

    test("a bad file is refused with every bad field named and what is accepted", () => {
        const good = JSON.parse(fs.readFileSync(settingsFileOf("left_knee"), "utf8"))
        const problems = refused({ ...good, jointId: "left_elbow", rOhm: -1, loopHz: "fast", gearRatio: undefined, color: "red" })
        expect(problems).toHaveLength(5)
        expect(problems.join("\n")).toMatch(/jointId = "left_elbow": accepted left_hip_yaw, .*right_ankle_roll/)
        expect(problems.join("\n")).toContain("rOhm = -1: accepted a number from 0.01 to 10 Ω")
        expect(problems.join("\n")).toContain('loopHz = "fast": accepted a number from 100 to 1000 Hz')
        expect(problems.join("\n")).toContain("gearRatio missing: accepted a number from 1 to 200")
        expect(problems.join("\n")).toMatch(/color: not a setting; accepted jointId, actuator, ktNmPerA/)
    })

    test("a value out of range and a rule it breaks are both reported", () => {
        const good = JSON.parse(fs.readFileSync(settingsFileOf("left_knee"), "utf8"))
        expect(refused({ ...good, peakA: 500, loopHz: 300 })).toEqual([
            "peakA = 500: accepted a number from 1 to 200 A (current limit (peak))",
            "tripA = 84: accepted greater than peakA",
            "loopHz = 300: accepted a divisor of 1000 (a whole number of ms per period)",
        ])
    })

    test("settings that disagree with each other and an actuator size the joint does not have are refused", () => {
        const good = JSON.parse(fs.readFileSync(settingsFileOf("left_knee"), "utf8"))
        const problems = refused({ ...good, actuator: "small", posMinRad: 1, posMaxRad: 0.5, loopHz: 300 })
        expect(problems).toEqual([
            'actuator = "small": left_knee has the large actuator (design/plant.md)',
            "posMaxRad = 0.5: accepted greater than posMinRad",
            "loopHz = 300: accepted a divisor of 1000 (a whole number of ms per period)",
        ])
    })

    test("text that is not JSON is refused as such", () => {
        expect(() => parseJointSettings("{ nope", "x.json")).toThrow(/^x\.json: not JSON: /)
    })

    test("the README's settings tables are the ones generated from JOINT_SETTINGS and FOOT_SETTINGS", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")
        const m = /<!-- settings:begin -->\n([\s\S]*?)\n<!-- settings:end -->/.exec(readme)
        expect(m, "README.md has no settings:begin/end markers").not.toBeNull()
        expect(m![1], "README.md is out of date: paste `hfw settings --markdown` between the markers").toBe(settingsMarkdown())
    })

    test("every setting and every rule of both boards has exactly one entry in its host-side docs tables", () => {
        expect(Object.keys(JOINT_SETTING_DOCS)).toEqual(JOINT_SETTINGS.map(s => s.key))
        expect(Object.keys(FOOT_SETTING_DOCS)).toEqual(FOOT_SETTINGS.map(s => s.key))
        expect(Object.keys(JOINT_SETTING_RULE_DOCS)).toEqual(JOINT_SETTING_RULES.map(r => r.key))
        expect(Object.keys(FOOT_SETTING_RULE_DOCS)).toEqual(FOOT_SETTING_RULES.map(r => r.key))
    })
})

const refusedFoot = (doc: unknown) => problemsOf(parseFootSettings, doc)

describe("foot settings files", () => {
    test("both feet have a valid file with their id and the reference sole, also valid for the firmware", () => {
        for (const id of ["left_foot", "right_foot"]) {
            const s = readFootSettingsFile(settingsFileOf(id))
            expect(s.footId).toBe(id)
            expect(s.values.cellXMm).toEqual([-90, -90, 90, 90])
            expect(s.values.cellYMm).toEqual([40, -40, 40, -40])
            expect(firstInvalidFootSetting(encodeFootSettings(id, s.values).v)).toBe(-1)
            expect(readAnySettingsFile(settingsFileOf(id)).board).toBe("foot") // what hfw settings --check does
        }
    })

    test("a bad foot file is refused with every bad field named and what is accepted", () => {
        const good = JSON.parse(fs.readFileSync(settingsFileOf("left_foot"), "utf8"))
        const problems = refusedFoot({ ...good, footId: "left_hand", cellGains: [1e-4, 0, 1e-4, "x"], cellYMm: undefined, tare: true })
        expect(problems).toEqual([
            'footId = "left_hand": accepted left_foot, right_foot',
            "tare: not a setting; accepted footId, cellGains, cellXMm, cellYMm",
            "cellGains[1] = 0: accepted a number from 0.000006 to 0.001 N/count (newtons per ADC count of each cell)",
            'cellGains[3] = "x": accepted a number from 0.000006 to 0.001 N/count (newtons per ADC count of each cell)',
            "cellYMm missing: accepted a list of 4 numbers (one per cell) from -100 to 100 mm (cell position from the sole centre toward the outer side)",
        ])
    })

    test("cells out of their order on the sole (a swapped cable) are refused", () => {
        const good = JSON.parse(fs.readFileSync(settingsFileOf("right_foot"), "utf8"))
        expect(refusedFoot({ ...good, cellXMm: [90, -90, -90, 90], cellYMm: [-40, 40, 40, -40] })).toEqual([
            "cellXMm = [90,-90,-90,90]: accepted heel cells 0 and 1 behind toe cells 2 and 3",
            "cellYMm = [-40,40,40,-40]: accepted outer cells 0 and 2 outward of inner cells 1 and 3",
        ])
    })

    test("values written with more digits than one Jacdac packet carries are refused before deploy", () => {
        const good = JSON.parse(fs.readFileSync(settingsFileOf("left_foot"), "utf8"))
        const long = { ...good, cellXMm: good.cellXMm.map((x: number) => x + 0.123456789012345), cellYMm: good.cellYMm.map((y: number) => y + 0.123456789012345) }
        const problems = problemsOf((text, source) => parseBoardSettings("foot", text, source), long)
        expect(problems).toHaveLength(1)
        expect(problems[0]).toMatch(/^the stored settings take 2\d\d bytes; one Jacdac packet carries 236: write the values with fewer digits$/)
    })
})
