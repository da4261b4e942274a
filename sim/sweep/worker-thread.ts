// What a sweep's worker thread runs: one run a task. jacdac-ts's chatter is kept off the sweep's
// stdout first, before jacdac-ts loads.
import "./quiet-debug.ts"

export { runOne as default } from "./run-one.ts"
