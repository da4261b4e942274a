import { defineConfig } from "vitest/config"
import { LongWalkSequencer } from "./test/long-walk.ts"

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        globalSetup: ["test/global-setup.ts"],
        testTimeout: 120_000,
        hookTimeout: 300_000,
        // the five-minute walk runs in the background, its test last (test/long-walk.ts)
        sequence: { sequencer: LongWalkSequencer },
    },
})
