// `hfw sim merge DIR... --out DIR`: the shards of one sweep joined into the files the unsharded sweep
// writes. The shards must be of the same plan and together hold every run exactly once; anything
// else is refused before anything is written.
import { isDeepStrictEqual } from "node:util"
import { UsageError } from "../errors.ts"
import { checkOutDir } from "../out-dir.ts"
import { readSweepFolder, SWEEP_OUTPUTS, writeSweepFolder } from "./files.ts"
import { sweepFile, type SweepFile } from "./sweep-file.ts"
import type { SweepRow } from "./rows.ts"

/** the whole sweep from its shards' folders */
export function joinShards(dirs: readonly string[]): SweepFile {
    if (!dirs.length) throw new UsageError("no folders to merge; give the --out folders of the shards of one sweep")
    const parts = dirs.map(dir => ({ dir, file: readSweepFolder(dir) }))
    const first = parts[0]
    for (const p of parts.slice(1))
        if (!isDeepStrictEqual(p.file.plan, first.file.plan))
            throw new UsageError(
                `${p.dir} is a shard of another sweep than ${first.dir}: ${JSON.stringify(p.file.plan)} against ${JSON.stringify(first.file.plan)}; merge the shards of one sweep`
            )
    for (const p of parts.slice(1))
        if (!isDeepStrictEqual(p.file.bytecode, first.file.bytecode))
            throw new UsageError(
                `${p.dir} ran other builds of the boards' programs than ${first.dir} (bytecode ${JSON.stringify(p.file.bytecode)} against ${JSON.stringify(first.file.bytecode)}), so its traces differ; run every shard from one commit`
            )
    const byRun = new Map<number, { row: SweepRow; dir: string }>()
    for (const { dir, file } of parts)
        for (const row of file.rows) {
            const seen = byRun.get(row.run)
            if (seen) throw new UsageError(`run ${row.run} is in both ${seen.dir} and ${dir}; give each shard once`)
            byRun.set(row.run, { row, dir })
        }
    const runs = first.file.runs
    const missing = Array.from({ length: runs }, (_, i) => i).filter(i => !byRun.has(i))
    if (missing.length) throw new UsageError(`${missing.length} of ${runs} runs are in none of the folders (${missingShards(parts.map(p => p.file), missing)}); give every shard`)
    return sweepFile(first.file.plan, null, first.file.bytecode, [...byRun.values()].map(v => v.row))
}

/** which shards are missing, as far as the shards given say how the sweep was split */
function missingShards(files: SweepFile[], missing: number[]): string {
    const count = files.find(f => f.shard)?.shard?.count
    if (!count) return `runs ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", ..." : ""}`
    const shards = [...new Set(missing.map(run => (run % count) + 1))]
    return `shard${shards.length > 1 ? "s" : ""} ${shards.map(i => `${i}/${count}`).join(", ")}`
}

export async function mergeSweeps(dirs: readonly string[], outDir: string): Promise<{ file: SweepFile; outputs: string[] }> {
    const file = joinShards(dirs)
    checkOutDir(outDir, "--out", SWEEP_OUTPUTS)
    return { file, outputs: await writeSweepFolder(outDir, file) }
}
