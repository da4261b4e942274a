// The sweep pool's worker thread: host code is TypeScript, so tsx is registered in the thread before
// it loads the run (a worker does not inherit the main thread's loader).
import { register } from "tsx/esm/api"

register()
// jacdac-ts reports its transports' chatter with console.debug, which would land on the sweep's stdout
console.debug = process.env.HFW_DEBUG ? (...args) => console.error(...args) : () => {}
const { runOne } = await import("./run-one.ts")

export default runOne
