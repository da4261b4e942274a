// servo-demo: the smallest closed loop through the co-simulator. Every millisecond it reads the
// output position from a potentiometer (a Jacdac sensor the board's hardware streams) and drives the
// motor's PWM duty from a PD law toward a target. The duty goes to the board's own power stage: on
// hardware a PWM pin, in the simulator the hardware twin (ds._twinMessage), because a DeviceScript
// program may send at most about 50 Jacdac packets a second (runtime/devicescript/jdiface.c).
import * as ds from "@devicescript/core"

const TARGET = 0.75 // position, fraction of travel
const KP = 4 // duty per unit of position error
const KD = 0.05 // duty per unit of position rate (1/s)
const PERIOD_MS = 1
const STATUS_PERIOD_MS = 100

const position = new ds.Potentiometer()
const status = new ds.Motor() // the host's view of the loop: speed = last duty, at a bus-friendly rate

const duty = Buffer.alloc(4)
let lastPos = -1
let lastMs = 0
let lastDuty = 0
let ticks = 0

setInterval(async () => {
    const pos = await position.reading.read()
    const nowMs = ds.millis()
    // measured period; a late timer can run twice within one millisecond
    const dtS = (nowMs - lastMs) / 1000
    if (lastPos < 0 || dtS <= 0) {
        lastPos = pos
        lastMs = nowMs
        return
    }
    const rate = (pos - lastPos) / dtS
    lastPos = pos
    lastMs = nowMs
    let u = KP * (TARGET - pos) - KD * rate
    if (u > 1) u = 1
    if (u < -1) u = -1
    lastDuty = u
    duty.setAt(0, "f32", u)
    if (ds.isSimulator()) await ds._twinMessage("motor/duty", duty)
    ticks++
}, PERIOD_MS)

setInterval(async () => {
    await status.speed.write(lastDuty)
}, STATUS_PERIOD_MS)

setInterval(() => {
    console.log(`ticks ${ticks}`)
}, 1000)
