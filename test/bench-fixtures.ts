// What the bench tests share: a scratch folder, the left knee's settings with the firmware's own
// current loop, and the relative error the figures are checked by.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { settingsFileOf } from "../tools/settings-file.ts"

export const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "hfw-bench-"))

/**
 * The left knee's settings with the firmware's own current loop at 1 kHz (currentLoop 0): what the
 * bench protocols measure and fit (R and L from the bridge voltage the firmware applies, the loop's
 * steps). With the chip's loop (the default) the current settles in well under a period of the
 * firmware's loop, faster than the board can record (see the issue note).
 */
export const FIRMWARE_LOOP_SETTINGS = (() => {
    const file = path.join(tmp(), "left_knee.json")
    const values = JSON.parse(fs.readFileSync(settingsFileOf("left_knee"), "utf8"))
    fs.writeFileSync(file, JSON.stringify({ ...values, currentLoop: 0, loopHz: 1000 }))
    return file
})()

export const relErr = (measured: number, truth: number) => Math.abs(measured - truth) / Math.abs(truth)
