// `step`: current steps at several amplitudes on a blocked output, recorded by the board at the loop
// rate, several edges averaged per amplitude; rise, overshoot, settling and steady error per amplitude
// (design/targets.md), and the winding's R and L fitted from the same records.
import { num } from "../../../sim/params.ts"
import { stepResponse } from "../../../sim/metrics/step-response.ts"
import type { CaptureData } from "../bench-joint.ts"
import { fitElectrical, mean, std } from "../fit.ts"
import { atMost, round, within, type Bench, type Check, type Plot, type Protocol, type ProtocolResult } from "../protocol.ts"

const PRE_SAMPLES = 16
const SAMPLES = 64
const FRACTIONS_OF_CONTINUOUS = [0.25, 0.5, 1]
const MIN_EDGES = 4

export const stepProtocol: Protocol = {
    name: "step",
    doc: "current steps at 25, 50 and 100 % of the continuous current; rise, overshoot, settling, steady error; R and L",
    params: { maxEdges: num(64, "", 1, 256, "most edges averaged per amplitude (until 4 noise deviations fit in the 2 % band)", true) },
    rig: () => ({ kind: "blocked" }),
    run: async (b: Bench): Promise<ProtocolResult> => {
        const contA = b.setting("contA")
        const periodUs = 1e6 / b.setting("loopHz")
        const rows: Record<string, number>[] = []
        const checks: Check[] = []
        const plots: Plot[] = []
        const all: CaptureData[] = []
        await b.armed(async () => {
            for (const fraction of FRACTIONS_OF_CONTINUOUS) {
                const amplitudeA = round(fraction * contA, 3)
                const records: CaptureData[] = []
                // sensor noise averages out over edges: enough of them that noise alone stays inside the
                // settling band
                let edges = 1
                for (let r = 0; r < edges; r++) {
                    await b.hold(50, () => b.joint.current(0))
                    records.push(
                        await b.capture({ waveform: "step", samples: SAMPLES, preSamples: PRE_SAMPLES, amplitudeA }, () => b.joint.current(0))
                    )
                    if (r === 0) {
                        const noiseA = std(records[0].currentA.slice(0, PRE_SAMPLES))
                        edges = Math.min(b.num("maxEdges"), Math.max(MIN_EDGES, Math.ceil(((4 * noiseA) / (0.02 * amplitudeA)) ** 2)))
                        b.log(`step ${amplitudeA} A: current noise ${noiseA.toFixed(3)} A, averaging ${edges} edges`)
                    }
                }
                all.push(...records)
                const avg = records[0].currentA.map((_, i) => mean(records.map(r => r.currentA[i])))
                const tUs = avg.map((_, i) => i * periodUs)
                const sr = stepResponse(tUs.slice(PRE_SAMPLES), avg.slice(PRE_SAMPLES), tUs[PRE_SAMPLES], 0, amplitudeA)
                const periods = (ms: number) => round((ms * 1000) / periodUs, 3)
                rows.push({
                    amplitudeA,
                    riseTimeMs: round(sr.riseTimeMs),
                    risePeriods: periods(sr.riseTimeMs),
                    overshootPct: round(sr.overshootPct),
                    settlingTimeMs: round(sr.settlingTimeMs),
                    settlingPeriods: periods(sr.settlingTimeMs),
                    steadyStateErrorPct: round(sr.steadyStateErrorPct),
                })
                checks.push(
                    atMost(`rise at ${amplitudeA} A`, periods(sr.riseTimeMs), "periods", 4),
                    atMost(`overshoot at ${amplitudeA} A`, round(sr.overshootPct), "%", 10),
                    atMost(`settling at ${amplitudeA} A`, periods(sr.settlingTimeMs), "periods", 12),
                    atMost(`steady error at ${amplitudeA} A`, round(Math.abs(sr.steadyStateErrorPct)), "%", 1)
                )
                plots.push({
                    title: `current step ${amplitudeA} A (${records.length} edges averaged)`,
                    xLabel: "time (ms)",
                    yLabel: "A",
                    kind: "line",
                    x: tUs.map(t => (t - tUs[PRE_SAMPLES]) / 1000),
                    series: [
                        { label: "reference", values: records[0].currentRefA },
                        { label: "current (mean)", values: avg },
                    ],
                })
            }
        })
        const el = fitElectrical(all, periodUs / 1e6)
        checks.push(
            within("resistance", round(el.resistanceOhm), "ohm", b.setting("rOhm"), 10),
            within("inductance", round(el.inductanceH * 1e6), "uH", b.setting("lUh"), 10)
        )
        return {
            protocol: "step",
            rig: { kind: "blocked" },
            metrics: {
                steps: rows,
                resistanceOhm: round(el.resistanceOhm),
                inductanceUh: round(el.inductanceH * 1e6),
                electricalTimeConstantMs: round(el.electricalTimeConstantS * 1000),
            },
            checks,
            plots,
            captures: { step: all },
        }
    },
}
