// The sweep pool's worker thread, run from the sources: tsx is registered in the thread before it
// loads them (a worker does not inherit the main thread's loader). `hfw` run from its bundle starts
// build/sweep-worker.mjs instead, the same module bundled (tools/host-bundle.mjs).
import { register } from "tsx/esm/api"

register()
export default (await import("./worker-thread.ts")).default
