// Makes the simulator's counted VM module (tools/prepare-vm.ts) in a process of its own, beside a
// build's compiles (binaryen's work in this process would hold them up): `hfw build` and the tests'
// global setup start it, so that the first simulations, and the first test files side by side, find it
// made rather than each making it at once.
import { spawn } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { BUILD_DIR, REPO_ROOT } from "../sim/firmware.ts"

/** tools/prepare-vm.ts's bundle, made with hfw's (tools/host-bundle.mjs) */
const BUNDLE = path.join(BUILD_DIR, "prepare-vm.mjs")

/**
 * Runs the preparation from its bundle when `bundleFresh` (through tsx, whose loader transforms
 * binaryen's own 10 MB module too, it took twice as long: 18.5 s against 8.7 s here), else through tsx.
 * Rejects with the process's output when it fails.
 */
export function prepareVmInOwnProcess(bundleFresh: boolean): Promise<void> {
    const args = bundleFresh && fs.existsSync(BUNDLE) ? [BUNDLE] : ["--import", "tsx", path.join(REPO_ROOT, "tools", "prepare-vm.ts")]
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "pipe"] })
        let stderr = ""
        child.stderr.on("data", d => (stderr += d))
        child.on("error", reject)
        child.on("close", status => (status === 0 ? resolve() : reject(new Error(`preparing the simulator's VM failed (exit ${status}):\n${stderr}`))))
    })
}
