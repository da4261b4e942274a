// `friction`: on a free output, moves at several constant speeds in both directions; the torque the
// motor delivers at each steady speed (current × output torque per amp) is the friction there, and
// Coulomb and viscous friction are fitted to it.
import { num } from "../../../sim/params.ts"
import type { CaptureData } from "../bench-joint.ts"
import { fitFriction, mean } from "../fit.ts"
import { angleNow, ramp, travelRange } from "../motion.ts"
import { round, settingsOutputNmPerA, type Bench, type Protocol, type ProtocolResult } from "../protocol.ts"

const SPEEDS_RAD_S = [0.4, 0.8, 1.6, 3.2]
const GAINS = { kpNmRad: 40, kdNmsRad: 6 }
const EDGE_MS = 400
/** recorded time per speed and direction: faster moves are shorter, so they are repeated */
const RECORD_PER_SPEED_MS = 3000

export const frictionProtocol: Protocol = {
    name: "friction",
    doc: "free output; constant-speed moves at 0.4..3.2 rad/s both ways; Coulomb and viscous friction fitted",
    params: { outputNmPerA: num(NaN, "N·m/A", 0.01, 100, "output torque per amp (default: from the settings; `torque-constant` measures it)") },
    rig: () => ({ kind: "free" }),
    run: async (b: Bench): Promise<ProtocolResult> => {
        const k = Number.isNaN(b.num("outputNmPerA")) ? settingsOutputNmPerA(b.settings) : b.num("outputNmPerA")
        const [lo, hi] = travelRange(b, 0.3)
        const points: { velocityRadS: number; torqueNm: number }[] = []
        const records: CaptureData[] = []
        await b.armed(async () => {
            await ramp(b, await angleNow(b), lo, 0.5, GAINS, { settleMs: 300 })
            for (const speed of SPEEDS_RAD_S) {
                const windowMs = ((hi - lo) / speed) * 1000 - 2 * EDGE_MS
                const repeats = Math.max(1, Math.ceil(RECORD_PER_SPEED_MS / windowMs))
                for (let r = 0; r < repeats; r++) {
                    for (const [from, to] of [[lo, hi], [hi, lo]]) {
                        b.log(`move ${from.toFixed(2)} -> ${to.toFixed(2)} rad at ${speed} rad/s`)
                        const c = (await ramp(b, from, to, speed, GAINS, { settleMs: 200, capture: { edgeMs: EDGE_MS, samples: 64 } }))!
                        records.push(c)
                        points.push({ velocityRadS: mean(c.velocityRadS), torqueNm: k * mean(c.currentA) })
                    }
                }
            }
        })
        const fit = fitFriction(points)
        const vs = points.map(p => p.velocityRadS).sort((a, b) => a - b)
        const line = (v: number) => fit.coulombNm * Math.sign(v) + fit.viscousNmsPerRad * v
        return {
            protocol: "friction",
            rig: { kind: "free" },
            metrics: {
                coulombFrictionNm: round(fit.coulombNm),
                viscousFrictionNmsPerRad: round(fit.viscousNmsPerRad),
                outputNmPerAUsed: round(k),
                points: points.map(p => ({ velocityRadS: round(p.velocityRadS), torqueNm: round(p.torqueNm) })),
            },
            checks: [],
            plots: [
                {
                    title: "friction: torque at steady speed",
                    xLabel: "output speed (rad/s)",
                    yLabel: "N·m",
                    kind: "points",
                    x: vs,
                    series: [
                        { label: "measured", kind: "points", values: vs.map(v => points.find(p => p.velocityRadS === v)!.torqueNm) },
                        { label: "fit Fc sign(w) + b w", kind: "line", values: vs.map(line) },
                    ],
                },
            ],
            captures: { friction: records },
        }
    },
}
