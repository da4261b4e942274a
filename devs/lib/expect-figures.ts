// Figure assertions for the VM's unit tests that say both numbers when they fail: @devicescript/test's
// expect has toBe only, and `expect(Math.abs(a - b) < tol).toBe(true)` fails with "Expected true, got false".

function fail(what: string, problem: string) {
    throw new Error(`${what}: ${problem}`)
}

/** `actual` within `tol` of `expected` */
export function expectNear(actual: number, expected: number, tol: number, what: string) {
    if (!(Math.abs(actual - expected) <= tol)) fail(what, `${actual}, expected ${expected} ± ${tol} (off by ${actual - expected})`)
}

/** `actual` below `bound` */
export function expectBelow(actual: number, bound: number, what: string) {
    if (!(actual < bound)) fail(what, `${actual}, expected below ${bound}`)
}

/** `actual` at most `bound` */
export function expectAtMost(actual: number, bound: number, what: string) {
    if (!(actual <= bound)) fail(what, `${actual}, expected at most ${bound}`)
}

/** `actual` above `bound` */
export function expectAbove(actual: number, bound: number, what: string) {
    if (!(actual > bound)) fail(what, `${actual}, expected above ${bound}`)
}
