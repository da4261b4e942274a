// Fixture: every 100 ms, a burst of known work (1000, 2000, then 4000 loop iterations, round and
// round) between two hardware-link messages, so the host sees when it started and when it ended.
import * as ds from "@devicescript/core"

const msg = Buffer.alloc(4)
let round = 0
let x = 0
setInterval(async () => {
    const n = 1000 * (1 << round % 3)
    round++
    msg.setAt(0, "u32", n)
    await ds._twinMessage("start", msg)
    for (let i = 0; i < n; i++) x = x + i * 0.5
    await ds._twinMessage("done", msg)
}, 100)
