import fs from "node:fs"
import path from "node:path"

/** Write through a temporary file and rename, so a failed run never leaves a partial file. */
export function writeFileAtomic(file: string, data: string | Uint8Array) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const tmp = `${file}.tmp-${process.pid}`
    try {
        fs.writeFileSync(tmp, data)
        fs.renameSync(tmp, file)
    } catch (e) {
        fs.rmSync(tmp, { force: true })
        throw e
    }
}
