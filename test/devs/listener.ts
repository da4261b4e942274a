// Fixture: answers each reading its host-side potentiometer streams with a hardware-link message.
import * as ds from "@devicescript/core"

const pot = new ds.Potentiometer()
const msg = Buffer.alloc(4)
pot.reading.subscribe(async v => {
    msg.setAt(0, "f32", v)
    await ds._twinMessage("heard", msg)
})
