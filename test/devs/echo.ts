// Fixture: reads a host-side potentiometer and writes what it read, doubled, to a host-side motor.
import * as ds from "@devicescript/core"

const pot = new ds.Potentiometer()
const motor = new ds.Motor()
let count = 0

setInterval(async () => {
    const v = await pot.reading.read()
    await motor.speed.write(v * 2 - 1)
    count++
    if (count === 5) console.log(`device ${ds.deviceIdentifier("self")} count ${count}`)
}, 50)
