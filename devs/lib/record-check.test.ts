import { describe, expect, test } from "@devicescript/test"
import { recordCheckHolds, sealRecord } from "./record-check"

describe("settings record check", () => {
    test("holds for a sealed record's text", () => {
        const text = JSON.stringify(sealRecord({ id: "left_knee", v: [0.1, 25, -2.5] }))
        expect(recordCheckHolds(text, JSON.parse(text).check)).toBe(true)
    })

    test("every single flipped bit of a record is refused: the text no longer parses, or its check fails", () => {
        const text = JSON.stringify(sealRecord({ id: "k", v: [0.1, 25, -2.5] }))
        let flips = 0
        let accepted = 0
        for (let i = 0; i < text.length; i++)
            for (let bit = 0; bit < 7; bit++) {
                // (7 bits: the text is ASCII; a flipped top bit is not a character of it at all)
                const c = String.fromCharCode(text.charCodeAt(i) ^ (1 << bit))
                const damaged = text.slice(0, i) + c + text.slice(i + 1)
                flips++
                let parsed: any = null
                try {
                    parsed = JSON.parse(damaged)
                } catch (e) {
                    continue
                }
                if (parsed !== null && typeof parsed === "object" && typeof parsed.check === "number" && recordCheckHolds(damaged, parsed.check)) accepted++
            }
        expect(flips).toBe(text.length * 7)
        expect(accepted).toBe(0)
    })
})
