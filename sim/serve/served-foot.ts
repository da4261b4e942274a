// One simulated foot board served over TCP (served-board.ts): the foot bytecode in its VM, its sole
// walking in place on the ground plant with the foot-gait scenario's default figures, so touchdowns,
// liftoffs and loaded reports keep coming; after SERVED_STEPS stances the foot stays in the air.
import { addFootBoard, type FootBoard } from "../hardware/foot-board.ts"
import { Gait } from "../plants/gait.ts"
import { resolveParams } from "../params.ts"
import { footGait } from "../scenarios/foot-gait.ts"
import { encodeFootSettings } from "../../devs/foot/settings-schema.ts"
import { serveBoard, type Served, type ServeOptions } from "./served-board.ts"

/** stances walked: a day and more at the default step period */
const SERVED_STEPS = 100_000
/** the board boots and zeroes its cells in the air first */
const START_DELAY_S = 1

export interface ServeFootOptions extends ServeOptions {
    /** the board's name on the bench (its device id derives from it) */
    name: string
    /** settings in the board's flash at power-up (provisioned as `footId`); none: unprovisioned */
    provisioned?: { footId: string; values: Record<string, number[]> }
    /** with `provisioned`: the bytes stored as its setting instead (a damaged flash) */
    storedSetting?: Uint8Array
}

export type ServedFoot = Served<FootBoard>

export function serveFootBoard(opts: ServeFootOptions): Promise<ServedFoot> {
    return serveBoard(opts, (sim, body) => {
        const p = resolveParams(footGait.params, [])
        const gait = new Gait(
            {
                steps: SERVED_STEPS,
                stepPeriodS: Number(p.stepPeriodS),
                stanceFraction: Number(p.stanceFraction),
                stepJitterPct: Number(p.stepJitterPct),
                startDelayS: START_DELAY_S,
            },
            sim.random.fork("foot/gait")
        )
        const provisioned = opts.provisioned
        const settings = provisioned ? (opts.storedSetting ?? encodeFootSettings(provisioned.footId, provisioned.values)) : undefined
        return addFootBoard(sim, provisioned?.footId ?? opts.name, gait, p, body, settings)
    })
}
