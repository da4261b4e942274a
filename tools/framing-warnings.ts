// jacdac-ts warns on stderr about every malformed frame it receives, with the console.warn it takes
// when it loads (this module is imported before it, by tools/cli.ts). A peer that is not a Jacdac bus
// would print a line per frame before the command's own error: they are counted instead, and the
// command ends with one line saying how many (HFW_DEBUG=1 prints each).
const FRAMING_WARNING = /^\d+ms: (got only \d+ bytes|unexpected packet len|empty packet|crc mismatch)/

let malformedFrames = 0
const warn = console.warn
console.warn = (...args: unknown[]) => {
    if (!process.env.HFW_DEBUG && typeof args[0] === "string" && FRAMING_WARNING.test(args[0])) malformedFrames++
    else warn(...args)
}

/** one line on the malformed frames received, or undefined when there were none */
export function malformedFramesSummary(): string | undefined {
    if (!malformedFrames) return undefined
    return `received ${malformedFrames} malformed Jacdac frame(s) from the target: is it a Jacdac bus (devs devtools, hfw sim serve)? HFW_DEBUG=1 prints each`
}
