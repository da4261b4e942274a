// CPU calibration (`hfw bench cpu`): times two kinds of known work with the board's own clock, so the
// simulator's chip table (sim/vm/chips.ts) can be checked against a real board. The host counts, on a
// simulated board, the work each kind does (the hardware-link messages around it mark it there); the
// board times it. One kind is integer arithmetic, the other double-precision arithmetic (a soft-float
// call on the ESP32-S3 and -C3): two measurements for the chip table's two costs. The times go to the
// setting `cpucal` (read back over the bus) and to the console.
import * as ds from "@devicescript/core"
import { writeSetting } from "@devicescript/settings"

/** iterations per timing: ~50-100 ms on the modelled chips, so the 1 ms clock resolves ~2 % */
const ITERATIONS = 3000
const ROUNDS = 5
const mark = Buffer.alloc(1)
let k = 0
let x = 0

function integerWork() {
    for (let i = 0; i < ITERATIONS; i++) k = (k + i) & 0xffff
}

function doubleWork() {
    for (let i = 0; i < ITERATIONS; i++) x = x / 1.0001 + 0.5
}

/** the board's time for `work`, in ms: the runtime re-reads its clock before a fiber resumes */
async function timeMs(kind: string, work: () => void): Promise<number> {
    await ds.sleep(1)
    const t0 = ds.millis()
    if (ds.isSimulator()) await ds._twinMessage(`cpucal/${kind}`, mark)
    work()
    if (ds.isSimulator()) await ds._twinMessage("cpucal/end", mark)
    await ds.sleep(0)
    return ds.millis() - t0
}

const result = { iterations: ITERATIONS, rounds: ROUNDS, integerMs: [] as number[], doubleMs: [] as number[] }
await ds.sleep(200)
for (let r = 0; r < ROUNDS; r++) {
    result.integerMs.push(await timeMs("integer", integerWork))
    result.doubleMs.push(await timeMs("double", doubleWork))
    await writeSetting("cpucal", result)
    console.log(`cpucal ${JSON.stringify(result)}`)
    await ds.sleep(50)
}
