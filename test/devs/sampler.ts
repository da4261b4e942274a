// Fixture: every millisecond asks its hardware for a sample, waits for it, and drives the sampled
// current straight back out, with the sample's sequence number.
import * as ds from "@devicescript/core"

const hw = new ds.JointPowerStage()
const request = Buffer.alloc(1)
const out = Buffer.alloc(8)
let missed = 0
let reports = 0
hw.reading.subscribe(() => {
    reports++
})

setInterval(async () => {
    await ds._twinMessage("jps/sample", request)
    const s = await ds.wait(hw.reading, 2)
    if (s === undefined) {
        missed++
        out.setAt(0, "f32", NaN)
        out.setAt(4, "u32", missed)
    } else {
        out.setAt(0, "f32", s[1])
        out.setAt(4, "u32", s[5])
    }
    await ds._twinMessage("jps/drive", out)
}, 1)
