// Fixture: tells the host every tick of a 1 ms interval, and its own device id once.
import * as ds from "@devicescript/core"

const tick = Buffer.alloc(4)
let n = 0
console.log(`device ${ds.deviceIdentifier("self")}`)
setInterval(async () => {
    n++
    tick.setAt(0, "u32", n)
    await ds._twinMessage("tick", tick)
}, 1)
