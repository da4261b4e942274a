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
import { firstInvalidSetting } from "../devs/joint/config.ts"

const refused = (doc: unknown): string[] => {
    try {
        parseJointSettings(JSON.stringify(doc), "test.json")
    } catch (e) {
        if (e instanceof SettingsError) return e.problems
        throw e
    }
    throw new Error("accepted")
}

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
        expect(() => parseJointSettings("{ nope", "x.json")).toThrow(/x\.json: 1 bad field\(s\):\n  not JSON/)
    })

    test("the README's settings tables are the ones generated from JOINT_SETTINGS and FOOT_SETTINGS", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")
        const m = /<!-- settings:begin -->\n([\s\S]*?)\n<!-- settings:end -->/.exec(readme)
        expect(m, "README.md has no settings:begin/end markers").not.toBeNull()
        expect(m![1], "README.md is out of date: paste `hfw settings --markdown` between the markers").toBe(settingsMarkdown())
    })
})
