// The suite's longest files start first, one per worker, so they run beside the rest rather than after
// them: on a fresh clone vitest has no timings cached and orders files by size, which put the
// five-minute walk (about 80 s of a core) last.
import { BaseSequencer, type TestSpecification } from "vitest/node"

/** the longest files, longest first (measured on the 2-core CI machine: README, tests) */
const LONGEST = ["test/robot-long.test.ts", "test/bench-fit.test.ts"]

export class LongestFirst extends BaseSequencer {
    async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
        const sorted = await super.sort(files)
        const rank = (f: TestSpecification) => {
            const i = LONGEST.findIndex(name => f.moduleId.endsWith(name))
            return i < 0 ? LONGEST.length : i
        }
        return [...sorted].sort((a, b) => rank(a) - rank(b))
    }
}
