// The hfw command runs from a bundle of the host code (tools/host-bundle.mjs): it is made again when
// a source it was made from changes, and a command run from it says what the sources say.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, test } from "vitest"
import { bundleIsFresh, bundlePaths } from "../tools/host-bundle.mjs"
import { hfw } from "./hfw-process.ts"

/** how the bundles are made: one of their inputs, wherever the repository is */
const MAKER = fileURLToPath(new URL("../tools/host-bundle.mjs", import.meta.url))

/** a repository of one source, with the bundles and the record of that source (and of their maker) as they are now */
function bundledRepo() {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-bundle-"))
    const source = path.join(repo, "tools", "cli.ts")
    fs.mkdirSync(path.dirname(source), { recursive: true })
    fs.writeFileSync(source, "export const a = 1\n")
    const { dir, outputs, inputsFile } = bundlePaths(repo)
    fs.mkdirSync(dir, { recursive: true })
    for (const f of outputs) fs.writeFileSync(f, "")
    const s = fs.statSync(source)
    const m = fs.statSync(MAKER)
    fs.writeFileSync(inputsFile, JSON.stringify({ inputs: { "tools/cli.ts": [s.size, s.mtimeMs], [path.relative(repo, MAKER)]: [m.size, m.mtimeMs] } }))
    return { repo, source, outputs, inputsFile }
}

describe("the host bundle", () => {
    test("is fresh while every input is as recorded; an edited, touched or removed input, a missing output or record is a change", () => {
        const r = bundledRepo()
        expect(bundleIsFresh(r.repo)).toBe(true)

        fs.appendFileSync(r.source, "export const b = 2\n")
        expect(bundleIsFresh(r.repo), "edited").toBe(false)

        const r2 = bundledRepo()
        const later = new Date(fs.statSync(r2.source).mtimeMs + 5000)
        fs.utimesSync(r2.source, later, later)
        expect(bundleIsFresh(r2.repo), "same bytes, touched").toBe(false)

        const r3 = bundledRepo()
        fs.rmSync(r3.source)
        expect(bundleIsFresh(r3.repo), "removed").toBe(false)

        const r4 = bundledRepo()
        fs.rmSync(r4.outputs[1])
        expect(bundleIsFresh(r4.repo), "an output missing").toBe(false)

        const r5 = bundledRepo()
        fs.writeFileSync(r5.inputsFile, "{")
        expect(bundleIsFresh(r5.repo), "a record that does not parse").toBe(false)
        fs.rmSync(r5.inputsFile)
        expect(bundleIsFresh(r5.repo), "no record").toBe(false)

        const r6 = bundledRepo()
        const withoutMaker = JSON.parse(fs.readFileSync(r6.inputsFile, "utf8"))
        delete withoutMaker.inputs[path.relative(r6.repo, MAKER)]
        fs.writeFileSync(r6.inputsFile, JSON.stringify(withoutMaker))
        expect(bundleIsFresh(r6.repo), "a record without how the bundles are made").toBe(false)

        for (const x of [r, r2, r3, r4, r5, r6]) fs.rmSync(x.repo, { recursive: true, force: true })
    })

    test("a command from the bundle prints what it prints through tsx, and a failing one fails alike", () => {
        const viaTsx = (...args: string[]) => {
            process.env.HFW_TSX = "1"
            try {
                return hfw(...args)
            } finally {
                delete process.env.HFW_TSX
            }
        }
        for (const args of [["sim", "--help"], ["sim", "no-such-scenario"]]) {
            const bundled = hfw(...args)
            // (the command made the bundle first if a source had changed, or how it is made)
            expect(bundleIsFresh()).toBe(true)
            const inputs = Object.keys(JSON.parse(fs.readFileSync(bundlePaths().inputsFile, "utf8")).inputs)
            expect(inputs).toEqual(expect.arrayContaining(["tools/cli.ts", "sim/sweep/worker-thread.ts", "tools/host-bundle.mjs"]))
            const sources = viaTsx(...args)
            expect(bundled.status, args.join(" ")).toBe(sources.status)
            expect(bundled.stdout, args.join(" ")).toBe(sources.stdout)
            expect(bundled.stderr, args.join(" ")).toBe(sources.stderr)
        }
    })
})
