// Fixture: runs for a while, then throws an exception nobody catches.
import * as ds from "@devicescript/core"

let n = 0
setInterval(() => {
    n++
    if (n === 100) {
        console.log("about to fail")
        throw new RangeError("joint angle out of range")
    }
}, 1)
