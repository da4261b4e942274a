// Builds every board program and the test fixtures once, before the suites run (side by side, one a
// core: tools/compile.ts), and beside them the simulator's counted VM module when its cache has none
// (a fresh clone: the first test files would each make it at once, 8 s of a core apiece). The
// DeviceScript unit tests build their own programs (test/devs-unit.test.ts), beside the other suites.
import { spawn } from "node:child_process"
import path from "node:path"
import { REPO_ROOT } from "../sim/firmware.ts"
import { bundlePaths, freshBundle } from "../tools/host-bundle.mjs"
import { buildBoards, buildTestFixtures } from "../tools/build.ts"

export default async function setup() {
    await Promise.all([prepareVm(), buildPrograms()])
}

async function buildPrograms() {
    const boards = await buildBoards("all")
    const bad = boards.boards.filter(b => !b.ok)
    if (bad.length) throw new Error(bad.map(b => b.error).join("\n"))
    await buildTestFixtures()
}

/**
 * tools/prepare-vm.ts in a process of its own (binaryen's work would hold up this one's compiles), from
 * its bundle (build/prepare-vm.mjs): through tsx, whose loader transforms binaryen's own 10 MB module
 * too, it took twice as long (18.5 s against 8.9 s here)
 */
async function prepareVm(): Promise<void> {
    const args = (await freshBundle()) ? [bundlePaths().outputs.find(f => f.endsWith("prepare-vm.mjs"))!] : ["--import", "tsx", path.join(REPO_ROOT, "tools", "prepare-vm.ts")]
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "pipe"] })
        let stderr = ""
        child.stderr.on("data", d => (stderr += d))
        child.on("error", reject)
        child.on("close", status => (status === 0 ? resolve() : reject(new Error(`preparing the simulator's VM failed (${status}):\n${stderr}`))))
    })
}
