// Fixture: keeps 1 KB more every 100 ms, up to 20 KB, and makes 4 KB of garbage each time (so the
// collector runs).
import * as ds from "@devicescript/core"

const kept: Buffer[] = []
let garbage: Buffer[] = []
setInterval(async () => {
    if (kept.length < 20) kept.push(Buffer.alloc(1024))
    garbage = []
    for (let i = 0; i < 4; i++) garbage.push(Buffer.alloc(1024))
}, 100)
