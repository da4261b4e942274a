import os from "node:os"
import { defineConfig } from "vitest/config"
import { LongestFirst } from "./test/longest-first.ts"

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        globalSetup: ["test/global-setup.ts"],
        testTimeout: 120_000,
        hookTimeout: 300_000,
        // a test file a core and one more: vitest's default (one core fewer) leaves one of CI's two
        // cores to its own process, which sits idle while the simulations run; and the tests against
        // served boards in wall-clock time (deploy, watch, the bench over TCP) mostly wait (the three
        // deploy files: 120 s of wall time, 30 s of a core), holding a worker a core could use
        maxWorkers: os.availableParallelism() + 1,
        sequence: { sequencer: LongestFirst },
    },
})
