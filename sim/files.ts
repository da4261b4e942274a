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

/** `fill` writes the file through its descriptor under a temporary name, renamed to `file` when it is done (a file too large to hold in memory) */
export async function writeFileThrough(file: string, fill: (fd: number) => Promise<void>) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const tmp = `${file}.tmp-${process.pid}`
    const fd = fs.openSync(tmp, "w")
    let open = true
    try {
        await fill(fd)
        fs.closeSync(fd)
        open = false
        fs.renameSync(tmp, file)
    } catch (e) {
        if (open) fs.closeSync(fd)
        fs.rmSync(tmp, { force: true })
        throw e
    }
}

/** writes all of `bytes` at `position` (the file's current position when omitted) */
export function writeAll(fd: number, bytes: Uint8Array, position?: number) {
    for (let done = 0; done < bytes.byteLength; ) done += fs.writeSync(fd, bytes, done, bytes.byteLength - done, position === undefined ? null : position + done)
}
