import { describe, expect, test } from "@devicescript/test"
import { expectAbove, expectAtMost, expectBelow, expectNear } from "./expect-figures"

/** the message of what `f` throws, "" when it does not */
function thrown(f: () => void): string {
    try {
        f()
    } catch (e) {
        return (e as Error).message
    }
    return ""
}

describe("figure assertions", () => {
    test("pass inside their bounds", () => {
        expect(thrown(() => expectNear(1.05, 1, 0.1, "x"))).toBe("")
        expect(thrown(() => expectBelow(1, 2, "x"))).toBe("")
        expect(thrown(() => expectAtMost(2, 2, "x"))).toBe("")
        expect(thrown(() => expectAbove(3, 2, "x"))).toBe("")
    })
    test("fail outside them, naming the figure and both numbers", () => {
        expect(thrown(() => expectNear(1.5, 1, 0.1, "offsetA"))).toBe("offsetA: 1.5, expected 1 ± 0.1 (off by 0.5)")
        expect(thrown(() => expectBelow(2, 2, "v"))).toBe("v: 2, expected below 2")
        expect(thrown(() => expectAtMost(3, 2, "v"))).toBe("v: 3, expected at most 2")
        expect(thrown(() => expectAbove(2, 2, "v"))).toBe("v: 2, expected above 2")
    })
    test("a NaN fails every one", () => {
        expect(thrown(() => expectNear(NaN, 1, 0.1, "x")) !== "").toBe(true)
        expect(thrown(() => expectBelow(NaN, 1, "x")) !== "").toBe(true)
        expect(thrown(() => expectAtMost(NaN, 1, "x")) !== "").toBe(true)
        expect(thrown(() => expectAbove(NaN, 1, "x")) !== "").toBe(true)
    })
})
