// The suite's longest files start first, so they run beside the rest rather than after them: on a
// fresh clone vitest has no timings cached and orders files by size, which put the five-minute walk
// (about 90 s of a core) last, and later the deploy tests against a board restarted in wall-clock
// time (some 50 s, most of it waiting), leaving a core idle at the end.
import { BaseSequencer, type TestSpecification } from "vitest/node"

/**
 * the longest files, longest first (measured on the 2-core CI machine, a fresh clone's vitest: README,
 * Speed): the walk and the calibration round trip (a core's work each), then those that mostly wait
 * on wall-clock time (a worker's, not a core's), then the longest of the rest
 */
const LONGEST = [
    "test/robot-long.test.ts",
    "test/bench-fit.test.ts",
    "test/deploy-restarted.test.ts",
    "test/deploy-interrupted.test.ts",
    "test/foot.test.ts",
    "test/bench.test.ts",
    "test/cli.test.ts",
    "test/deploy.test.ts",
]

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
