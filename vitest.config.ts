import os from "node:os"
import { defineConfig } from "vitest/config"
import { LongestFirst } from "./test/longest-first.ts"

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        globalSetup: ["test/global-setup.ts"],
        testTimeout: 120_000,
        hookTimeout: 300_000,
        // a test file a core and two more: vitest's default (one core fewer) leaves one of CI's two
        // cores to its own process, which sits idle while the simulations run; and the tests against
        // served boards in wall-clock time (deploy, watch, the bench over TCP) mostly wait (the three
        // deploy files: 120 s of wall time, 30 s of a core), holding a worker a core could use. With
        // the longest first (test/longest-first.ts), the two long simulations and the two long deploy
        // files start together. A fresh clone's npm test on the 2-core machine: 5 min 23 s with one
        // worker more than the cores, 5 min 6 s and 5 min 8 s with two (README, Speed)
        maxWorkers: os.availableParallelism() + 2,
        sequence: { sequencer: LongestFirst },
    },
})
