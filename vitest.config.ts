import os from "node:os"
import { defineConfig } from "vitest/config"
import { LongestFirst } from "./test/longest-first.ts"

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        globalSetup: ["test/global-setup.ts"],
        testTimeout: 120_000,
        hookTimeout: 300_000,
        // a test file a core: vitest's default (one core fewer) leaves one of CI's two cores to its own
        // process, which sits idle while the simulations run
        maxWorkers: os.availableParallelism(),
        sequence: { sequencer: LongestFirst },
    },
})
