// Builds every board program and the test fixtures once, before the suites run (side by side, one a
// core: tools/compile.ts). The DeviceScript unit tests build their own programs (test/devs-unit.test.ts),
// beside the other suites.
import { buildBoards, buildTestFixtures } from "../tools/build.ts"

export default async function setup() {
    const boards = await buildBoards("all")
    const bad = boards.boards.filter(b => !b.ok)
    if (bad.length) throw new Error(bad.map(b => b.error).join("\n"))
    await buildTestFixtures()
}
