// Builds every board program, the DeviceScript unit tests and the test fixtures once, before the
// suites run (the DeviceScript compiler writes to one fixed folder, so builds cannot run in parallel).
import { buildBoards, buildTestPrograms } from "../tools/build.ts"

export default function setup() {
    const boards = buildBoards("all")
    const bad = boards.boards.filter(b => !b.ok)
    if (bad.length) throw new Error(bad.map(b => b.error).join("\n"))
    buildTestPrograms()
}
