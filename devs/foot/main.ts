import * as ds from "@devicescript/core"
let n = 0
setInterval(() => { n++; if (n % 1000 === 0) console.log(`tick ${n}`) }, 1)
