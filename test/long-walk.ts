// The five-minute walk of test/robot-long.test.ts costs about 85 s of one core, and vitest runs the
// suite's files one after another in one worker on the 2-core machine (cpus - 1), leaving the other
// core mostly idle. So the walk does not run in the worker: when its test file is among those to
// run, the sequencer (which runs after the global setup has built the board programs, and is the
// one place that knows which files run) starts it as `hfw sim robot-walk --json` in a child process,
// and puts the file last, by which time the walk is done. The test reads what the command printed.
// Run without this sequencer (another config), the test runs the walk itself.
import { spawn, type ChildProcess } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { BaseSequencer, type TestSpecification } from "vitest/node"

export const LONG_WALK = { testFile: "test/robot-long.test.ts", seed: 2, durationS: 300 }

/** the files the walk leaves: what it printed on stdout and stderr, and how it exited (written last) */
export const longWalkFiles = (dir: string) => ({ stdout: path.join(dir, "walk.json"), stderr: path.join(dir, "walk.err"), exit: path.join(dir, "exit.json") })

declare module "vitest" {
    export interface ProvidedContext {
        /** the folder the background walk writes into (longWalkFiles) */
        longWalkDir: string
    }
}

let walk: { dir: string; child: ChildProcess } | undefined

function startLongWalk(root: string): string {
    if (walk) return walk.dir // a rerun (watch mode) reads the first walk
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-long-walk-"))
    const files = longWalkFiles(dir)
    const hfw = path.join(root, "tools", "hfw.mjs")
    const args = [hfw, "sim", "robot-walk", "--seed", String(LONG_WALK.seed), "--duration", String(LONG_WALK.durationS), "--json"]
    const child = spawn(process.execPath, args, { stdio: ["ignore", fs.openSync(files.stdout, "w"), fs.openSync(files.stderr, "w")] })
    child.on("exit", (code, signal) => fs.writeFileSync(files.exit, JSON.stringify({ code, signal })))
    child.on("error", e => fs.writeFileSync(files.exit, JSON.stringify({ code: null, signal: null, error: String(e) })))
    // the suite is over (or interrupted): the walk goes with it, and its folder
    process.once("exit", () => {
        child.kill()
        fs.rmSync(dir, { recursive: true, force: true })
    })
    walk = { dir, child }
    return dir
}

export class LongWalkSequencer extends BaseSequencer {
    async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
        const sorted = await super.sort(files)
        const long = sorted.filter(f => f.moduleId.endsWith(LONG_WALK.testFile))
        if (!long.length) return sorted
        this.ctx.provide("longWalkDir", startLongWalk(this.ctx.config.root))
        return [...sorted.filter(f => !long.includes(f)), ...long]
    }
}
