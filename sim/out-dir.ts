// An output folder (`hfw sim --out DIR`, `hfw bench --out DIR`) holds exactly one run's outputs. It is
// checked before the run, so that a run is not spent on a folder it cannot write: a file, a path under
// a file and a place that cannot be written are refused; so is a folder holding anything but an
// earlier run's outputs, which is never deleted. At the end the outputs are written into a new folder
// beside it, which then takes its place: an earlier run's outputs go as a whole, and a run that fails
// or is interrupted leaves the folder as it was.
import fs from "node:fs"
import path from "node:path"
import { UsageError } from "./errors.ts"
import { writeFileAtomic } from "./files.ts"
import type { TraceRecorder } from "./trace.ts"
import { writeTraceFiles, type TraceFiles } from "./trace-files.ts"

/** what a run writes into its folder (sim and bench alike) */
export const RUN_OUTPUTS = ["trace.mcap", "trace", "summary.json", "report.html", "foxglove-layout.json"]

/**
 * Refuses, before the run, an output folder the run could not write or should not replace. `outputs`:
 * the names an earlier run of this kind leaves there (a run's, by default; a sweep's).
 */
export function checkOutDir(dir: string, option = "--out", outputs: readonly string[] = RUN_OUTPUTS) {
    const abs = path.resolve(dir)
    const stat = statOf(abs)
    if (stat && !stat.isDirectory()) throw new UsageError(`${option} ${dir} is a file; give a folder (a new one, or an earlier run's)`)
    if (stat) {
        const others = fs.readdirSync(abs).filter(f => !outputs.includes(f))
        if (others.length)
            throw new UsageError(
                `${option} ${dir} holds files that are not an earlier run's outputs (${others.slice(0, 5).join(", ")}${others.length > 5 ? ", ..." : ""}); ` +
                    `give a new folder, an empty one or an earlier run's (${outputs.join(", ")}), which the new outputs replace`
            )
    }
    checkWritablePlace(abs, `${option} ${dir}`)
}

/** Refuses, before the work, an output file (`hfw bench fit --out PARAMS.json`) that could not be written. */
export function checkOutFile(file: string, option = "--out") {
    const abs = path.resolve(file)
    if (statOf(abs)?.isDirectory()) throw new UsageError(`${option} ${file} is a folder; give a file name`)
    checkWritablePlace(abs, `${option} ${file}`)
}

/** the nearest folder above `abs` that exists must be a folder, and writable: make and remove a folder in it */
function checkWritablePlace(abs: string, what: string) {
    let parent = path.dirname(abs)
    while (!statOf(parent)) parent = path.dirname(parent)
    if (!statOf(parent)!.isDirectory()) throw new UsageError(`${what}: ${parent} is a file, not a folder`)
    try {
        fs.rmdirSync(fs.mkdtempSync(path.join(parent, ".hfw-check-")))
    } catch (e) {
        throw new UsageError(`${what}: cannot write in ${parent} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    }
}

export interface RunOutputs {
    trace: TraceRecorder
    /** which trace files: both (trace.mcap and trace/*.csv, the default), mcap or csv */
    traceFiles?: TraceFiles
    /** summary.json's content */
    summary: unknown
    /** report.html */
    reportHtml: string
    /** further files by name (a Foxglove layout) */
    extraFiles?: Record<string, string>
}

/**
 * Writes a run's outputs into a new folder beside `dir`, which then replaces `dir` (an earlier run's
 * outputs, or nothing). Returns the paths written, as they are in `dir`.
 */
export async function writeRunFolder(dir: string, outputs: RunOutputs): Promise<string[]> {
    return replaceFolder(dir, RUN_OUTPUTS, async tmp => {
        const written = await writeTraceFiles(outputs.trace, tmp, outputs.traceFiles)
        const files: Record<string, string> = {
            "summary.json": JSON.stringify(outputs.summary, null, 2) + "\n",
            "report.html": outputs.reportHtml,
            ...outputs.extraFiles,
        }
        return [...written, ...writeFiles(tmp, files)]
    })
}

/** writes each file of `files` (name: content) into `dir`; returns their paths */
export function writeFiles(dir: string, files: Record<string, string>): string[] {
    return Object.entries(files).map(([name, content]) => {
        writeFileAtomic(path.join(dir, name), content)
        return path.join(dir, name)
    })
}

/**
 * Fills a new folder beside `dir` (`fill` returns the paths it wrote), which then replaces `dir`
 * (an earlier run's outputs, named in `outputs`, or nothing). Returns the paths written, as they are in `dir`.
 */
export async function replaceFolder(dir: string, outputs: readonly string[], fill: (tmp: string) => Promise<string[]>): Promise<string[]> {
    checkOutDir(dir, "--out", outputs) // again: the folder may have changed during the run
    const abs = path.resolve(dir)
    fs.mkdirSync(path.dirname(abs), { recursive: true })
    const tmp = fs.mkdtempSync(path.join(path.dirname(abs), `.${path.basename(abs)}.tmp-`))
    let old: string | undefined
    try {
        const written = await fill(tmp)
        if (statOf(abs)) {
            old = `${tmp}.old`
            fs.renameSync(abs, old)
        }
        fs.renameSync(tmp, abs)
        return written.map(f => path.join(dir, path.relative(tmp, f)))
    } catch (e) {
        if (old && !statOf(abs)) fs.renameSync(old, abs)
        throw e
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true })
        if (old) fs.rmSync(old, { recursive: true, force: true })
    }
}

function statOf(p: string): fs.Stats | undefined {
    try {
        return fs.statSync(p)
    } catch {
        return undefined
    }
}
