// Builds every board program and the test fixtures once, before the suites run (side by side, one a
// core: tools/compile.ts), and beside them the simulator's counted VM module when its cache has none
// (tools/vm-preparation.ts; `hfw build`, which npm test runs first, has made it already). The
// DeviceScript unit tests build their own programs (test/devs-unit.test.ts), beside the other suites.
import { freshBundle } from "../tools/host-bundle.mjs"
import { buildBoards, buildTestFixtures } from "../tools/build.ts"
import { prepareVmInOwnProcess } from "../tools/vm-preparation.ts"

export default async function setup() {
    await Promise.all([prepareVm(), buildPrograms()])
}

async function prepareVm() {
    await prepareVmInOwnProcess((await freshBundle()) !== null)
}

async function buildPrograms() {
    const boards = await buildBoards("all")
    const bad = boards.boards.filter(b => !b.ok)
    if (bad.length) throw new Error(bad.map(b => b.error).join("\n"))
    await buildTestFixtures()
}
