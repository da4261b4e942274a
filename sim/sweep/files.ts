// A sweep's folder: sweep.json (the plan, the shard it ran, one row per run), sweep.csv (the same
// rows as a table) and report.html. An unsharded sweep and merged shards write it from the same
// rows through the same function, so they write the same files.
import fs from "node:fs"
import path from "node:path"
import { UsageError } from "../errors.ts"
import { replaceFolder, writeFiles } from "../out-dir.ts"
import { SWEEP_FORMAT, type SweepFile } from "./sweep-file.ts"
import { renderSweepReport } from "./report.ts"
import { columnsOf, toCsv } from "./rows.ts"

/** what a sweep writes into its folder */
export const SWEEP_OUTPUTS = ["sweep.json", "sweep.csv", "report.html"]

/** writes the sweep's three files into a new folder that then replaces `dir` (sim/out-dir.ts); returns their paths */
export function writeSweepFolder(dir: string, file: SweepFile): Promise<string[]> {
    const files = {
        "sweep.json": JSON.stringify(file, null, 2) + "\n",
        "sweep.csv": toCsv(columnsOf(file.plan, file.rows), file.rows),
        "report.html": renderSweepReport(file),
    }
    return replaceFolder(dir, SWEEP_OUTPUTS, async tmp => writeFiles(tmp, files))
}

/** a sweep's (or a shard's) sweep.json; a UsageError when `dir` holds none */
export function readSweepFolder(dir: string): SweepFile {
    const file = path.join(dir, "sweep.json")
    let parsed: Partial<SweepFile>
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"))
    } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no sweep.json" : `sweep.json unreadable (${(e as Error).message})`
        throw new UsageError(`${dir}: ${why}; give folders written by hfw sim sweep --out`)
    }
    if (parsed.format !== SWEEP_FORMAT || !parsed.plan || !Array.isArray(parsed.rows))
        throw new UsageError(`${file} is not a sweep of format ${SWEEP_FORMAT} (written by another version of hfw?)`)
    return parsed as SweepFile
}
