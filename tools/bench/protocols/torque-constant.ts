// `torque-constant`: the output torque per amp against a known load. With a lever and mass
// (`massKg`, `leverM`, angle 0 = hanging straight down) the lever is moved slowly up and down and the
// current fitted against the gravity torque (friction cancels between the two directions); with a
// torque sensor, `sensorNm` read at `sensorCurrentA` on a blocked output gives the ratio directly.
import { GRAVITY_M_S2 } from "../../../sim/plants/loads.ts"
import { num } from "../../../sim/params.ts"
import type { CaptureData } from "../bench-joint.ts"
import { fitLever } from "../fit.ts"
import { angleNow, ramp, travelRange } from "../motion.ts"
import { round, settingsOutputNmPerA, within, type Bench, type Plot, type Protocol, type ProtocolResult } from "../protocol.ts"
import type { Rig } from "../targets.ts"

const SPEED_RAD_S = 0.4
const GAINS = { kpNmRad: 120, kdNmsRad: 10 }
/** the lever swings between this angle and the upper soft limit (less a margin) */
const LOW_RAD = 0.3

export const torqueConstantProtocol: Protocol = {
    name: "torque-constant",
    doc: "lever and mass moved slowly up and down (or a torque sensor reading); output torque per amp and Kt",
    params: {
        massKg: num(3, "kg", 0.1, 100, "mass on the lever"),
        leverM: num(0.3, "m", 0.01, 2, "lever length to the mass's centre"),
        sensorNm: num(NaN, "N·m", -1000, 1000, "instead of a lever: a torque sensor's reading at sensorCurrentA"),
        sensorCurrentA: num(NaN, "A", -200, 200, "the current at which sensorNm was read"),
    },
    rig: p => ({ kind: "lever", massKg: p.massKg as number, leverM: p.leverM as number }),
    run: async (b: Bench): Promise<ProtocolResult> => {
        const s = b.settings
        if (!Number.isNaN(b.num("sensorNm")) || !Number.isNaN(b.num("sensorCurrentA"))) {
            if (Number.isNaN(b.num("sensorNm")) || Number.isNaN(b.num("sensorCurrentA")) || b.num("sensorCurrentA") === 0)
                throw new Error("a torque sensor reading needs both --param sensorNm=N and --param sensorCurrentA=A (not zero)")
            const k = b.num("sensorNm") / b.num("sensorCurrentA")
            return result(k, s, [], { kind: "blocked" }, { method: "torque sensor" })
        }
        const leverNm = b.num("massKg") * GRAVITY_M_S2 * b.num("leverM")
        const [, hi] = travelRange(b, 0.2)
        const top = Math.min(hi, Math.PI - LOW_RAD)
        const records: CaptureData[] = []
        await b.armed(async () => {
            await ramp(b, await angleNow(b), LOW_RAD, 0.5, GAINS, { settleMs: 300 })
            for (let r = 0; r < 2; r++)
                for (const [from, to] of [[LOW_RAD, top], [top, LOW_RAD]]) {
                    b.log(`lever ${from.toFixed(2)} -> ${to.toFixed(2)} rad`)
                    records.push((await ramp(b, from, to, SPEED_RAD_S, GAINS, { settleMs: 200, capture: { edgeMs: 300, samples: 128 } }))!)
                }
            await ramp(b, LOW_RAD, 0, 0.3, GAINS, { settleMs: 300 })
        })
        const samples = records.flatMap(c => c.angleRad.map((a, i) => ({ angleRad: a, velocityRadS: c.velocityRadS[i], currentA: c.currentA[i] })))
        const fit = fitLever(samples, leverNm)
        const rig: Rig = { kind: "lever", massKg: b.num("massKg"), leverM: b.num("leverM") }
        return result(fit.outputNmPerA, s, records, rig, { method: "lever", leverNm: round(leverNm), frictionAtSpeedNm: round(fit.frictionNm) })
    },
}

function result(k: number, s: Record<string, number>, records: CaptureData[], rig: Rig, extra: Record<string, unknown>): ProtocolResult {
    const kt = k / (s.gearRatio * s.gearEff)
    const points = records.flatMap(c => c.angleRad.map((a, i) => [a, c.currentA[i]])).sort((p, q) => p[0] - q[0])
    const plots: Plot[] = records.length
        ? [
              {
                  title: "lever: current against angle, both directions",
                  xLabel: "angle from hanging (rad)",
                  yLabel: "A",
                  kind: "points",
                  x: points.map(p => p[0]),
                  series: [{ label: "current", kind: "points", values: points.map(p => p[1]) }],
              },
          ]
        : []
    return {
        protocol: "torque-constant",
        rig,
        metrics: { outputNmPerA: round(k), ktNmPerA: round(kt), outputNmPerAFromSettings: round(settingsOutputNmPerA(s)), ...extra },
        checks: [within("motor Kt (output torque per amp / gear ratio / efficiency)", round(kt), "N·m/A", s.ktNmPerA, 10)],
        plots,
        captures: { lever: records },
    }
}
