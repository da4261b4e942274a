// `thermal`: a current hold on a blocked output; the winding NTC's rise is fitted to a first-order
// thermal model seen through the sensor's lag: the time constant, and the thermal resistance from the
// rise over the heating power i² R.
import { num } from "../../../sim/params.ts"
import { fitThermalRise, laggedRise, mean } from "../fit.ts"
import { round, within, type Bench, type Protocol, type ProtocolResult } from "../protocol.ts"

const SAMPLES = 256

export const thermalProtocol: Protocol = {
    name: "thermal",
    doc: "current hold on a blocked output; winding temperature rise fitted: thermal resistance and time constant",
    params: {
        holdS: num(150, "s", 10, 7200, "how long the current is held (2-3 thermal time constants fit best)"),
        riseC: num(40, "°C", 5, 80, "the steady rise the hold current is chosen for (from the settings' R and thermal resistance)"),
        ntcLagS: num(2, "s", 0, 60, "the NTC's own lag behind the winding (design/plant.md: 2 s)"),
        resistanceOhm: num(NaN, "ohm", 0.001, 100, "winding resistance for the heating power (default: the settings'; `step` measures it)"),
    },
    rig: () => ({ kind: "blocked" }),
    run: async (b: Bench): Promise<ProtocolResult> => {
        const rOhm = Number.isNaN(b.num("resistanceOhm")) ? b.setting("rOhm") : b.num("resistanceOhm")
        const holdA = round(Math.min(b.setting("contA"), Math.sqrt(b.num("riseC") / (b.setting("rOhm") * b.setting("rthKPerW")))), 3)
        const holdMs = b.num("holdS") * 1000
        const decimation = Math.ceil((holdMs * b.setting("loopHz")) / 1000 / SAMPLES)
        b.log(`holding ${holdA} A for ${b.num("holdS")} s`)
        const c = await b.armed(async () => {
            await b.joint.current(holdA)
            return b.capture({ waveform: "none", samples: SAMPLES, decimation }, () => b.joint.current(holdA))
        })
        const fit = fitThermalRise(c.tS, c.ntcC, b.num("ntcLagS"))
        const currentA = mean(c.currentA)
        const rthKPerW = fit.riseC / (currentA * currentA * rOhm)
        return {
            protocol: "thermal",
            rig: { kind: "blocked" },
            metrics: {
                holdCurrentA: round(currentA),
                startC: round(fit.startC),
                riseC: round(fit.riseC),
                thermalTimeConstantS: round(fit.timeConstantS),
                thermalResistanceKPerW: round(rthKPerW),
                resistanceOhmUsed: round(rOhm),
                fitRmsErrorC: round(fit.rmsErrorC),
            },
            checks: [
                within("thermal time constant", round(fit.timeConstantS), "s", b.setting("tauThS"), 15),
                within("thermal resistance", round(rthKPerW), "K/W", b.setting("rthKPerW"), 15),
            ],
            plots: [
                {
                    title: `winding temperature, ${round(currentA, 3)} A held`,
                    xLabel: "time (s)",
                    yLabel: "°C",
                    kind: "line",
                    x: c.tS,
                    series: [
                        { label: "NTC (measured)", kind: "points", values: c.ntcC },
                        { label: "fit", values: c.tS.map(t => fit.startC + fit.riseC * laggedRise(t, fit.timeConstantS, b.num("ntcLagS"))) },
                    ],
                },
            ],
            captures: { thermal: [c] },
        }
    },
}

