// The host code as one bundle. `hfw` starts from build/hfw.mjs, esbuild's bundle of tools/cli.ts,
// not through tsx's loader, which resolves and transforms each of some 150 modules at every start
// (on a 2-core CI machine about 1 s a command, against 0.3 s from the bundle). The sweep's worker
// threads start from build/sweep-worker.mjs, made in the same build.
//
// The bundle is a cache of the sources: each input's size and modification time are kept beside it
// (build/host-inputs.json; this file among them, as it says how the bundles are made), and a command
// that finds one changed makes the bundle again first (about 0.7 s), so an edit takes effect at the
// next command as it did through tsx. The outputs sit directly
// in build/ because the host code finds the repository one folder above its own module
// (sim/firmware.ts REPO_ROOT) and the sweep's worker beside it (sim/sweep/sweep.ts).
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

/** this file: how the bundles are made is an input of theirs too */
const THIS_FILE = fileURLToPath(import.meta.url)
const REPO = path.resolve(path.dirname(THIS_FILE), "..")

/** the bundles, by output name: each an entry point of the host code */
const ENTRIES = { hfw: "tools/cli.ts", "sweep-worker": "sim/sweep/worker-thread.ts", "prepare-vm": "tools/prepare-vm.ts" }

/**
 * The dependencies load from node_modules as they are, but for jacdac-ts, bundled where it is first
 * imported: it takes console.warn and console.debug when it loads, and a bundle's imports of outside
 * modules all run before its own code, so tools/framing-warnings.ts and sim/sweep/quiet-debug.ts
 * could no longer wrap them first.
 */
const dependenciesAsTheyAre = {
    name: "dependencies-as-they-are",
    setup(build) {
        build.onResolve({ filter: /^[^./]/ }, args => (args.path === "jacdac-ts" ? undefined : { path: args.path, external: true }))
    },
}

/** where a repository's bundles and their inputs' record go */
export const bundlePaths = (repo = REPO) => {
    const dir = path.join(repo, "build")
    return {
        dir,
        cli: path.join(dir, "hfw.mjs"),
        outputs: Object.keys(ENTRIES).map(name => path.join(dir, `${name}.mjs`)),
        inputsFile: path.join(dir, "host-inputs.json"),
    }
}

/** a file's size and modification time, as the record keeps them (null when it is gone) */
const stamp = file => {
    try {
        const s = fs.statSync(file)
        return [s.size, s.mtimeMs]
    } catch {
        return null
    }
}

/**
 * whether the bundles are there and every input they were made from is as it was then (same size and
 * modification time; an input gone, a record that cannot be read or one without this file is a change)
 */
export function bundleIsFresh(repo = REPO) {
    const { outputs, inputsFile } = bundlePaths(repo)
    let record
    try {
        record = JSON.parse(fs.readFileSync(inputsFile, "utf8"))
    } catch {
        return false
    }
    const inputs = record.inputs ?? {}
    // (a record without this file is from before it was one of the inputs)
    if (!outputs.every(f => fs.existsSync(f)) || !(path.relative(repo, THIS_FILE) in inputs)) return false
    for (const [file, recorded] of Object.entries(inputs)) {
        const now = stamp(path.join(repo, file))
        if (!now || now[0] !== recorded[0] || now[1] !== recorded[1]) return false
    }
    return true
}

/**
 * Makes the bundles and the record of their inputs. Each file is written under a name of its own and
 * renamed into place, the record last: commands starting meanwhile (a test suite starts many at once)
 * see either the old set or the new one, and at worst make it again themselves.
 */
export async function makeBundle(repo = REPO) {
    const { build } = await import("esbuild")
    const { dir, inputsFile } = bundlePaths(repo)
    const result = await build({
        absWorkingDir: repo,
        entryPoints: ENTRIES,
        outdir: dir,
        outExtension: { ".js": ".mjs" },
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        plugins: [dependenciesAsTheyAre],
        sourcemap: "linked",
        metafile: true,
        write: false,
        logLevel: "silent",
    })
    fs.mkdirSync(dir, { recursive: true })
    const place = (file, contents) => {
        const temp = `${file}.${process.pid}.tmp`
        fs.writeFileSync(temp, contents)
        fs.renameSync(temp, file)
    }
    for (const out of result.outputFiles) place(out.path, out.contents)
    const inputs = {}
    for (const file of [...Object.keys(result.metafile.inputs), path.relative(repo, THIS_FILE)]) inputs[file] = stamp(path.join(repo, file))
    place(inputsFile, JSON.stringify({ inputs }, null, 1) + "\n")
}

/**
 * The bundle's URL, made first when it is missing or stale; null when it cannot be made (a source
 * that does not parse, say): the caller then runs the sources through tsx, which reports the problem
 * as it always has.
 */
export async function freshBundle(repo = REPO) {
    if (!bundleIsFresh(repo)) {
        try {
            await makeBundle(repo)
        } catch {
            return null
        }
    }
    return pathToFileURL(bundlePaths(repo).cli).href
}
