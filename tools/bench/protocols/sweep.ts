// `sweep`: the closed-loop frequency response of the current loop, by stepped sines the board itself
// generates (sample-synchronous with its recording) on a blocked output; magnitude and phase of the
// current against its reference at each frequency, and the -3 dB bandwidth.
import { num } from "../../../sim/params.ts"
import type { CaptureData } from "../bench-joint.ts"
import { bandwidthHz, sinePhasor } from "../fit.ts"
import { round, within, type Bench, type Protocol, type ProtocolResult } from "../protocol.ts"

/** samples skipped at the start of each sine while the loop's transient dies out */
const SETTLE_SAMPLES = 10
const MAX_SAMPLES = 256

/**
 * The bandwidth the current loop's own design gives: with pole-cancelling gains removing `currentBw`
 * of the error each period, current follows its reference as H(z) = bw / (z - (1 - bw)).
 */
export function designBandwidthHz(currentBw: number, loopHz: number): number {
    const p = 1 - currentBw
    // |bw / (e^jw - p)|^2 = 1/2  =>  1 + p^2 - 2 p cos w = 2 bw^2
    const cosW = (1 + p * p - 2 * currentBw * currentBw) / (2 * p)
    return cosW >= 1 || cosW <= -1 ? NaN : (Math.acos(cosW) * loopHz) / (2 * Math.PI)
}

export const sweepProtocol: Protocol = {
    name: "sweep",
    doc: "stepped-sine current reference; closed-loop magnitude and phase; -3 dB bandwidth",
    params: {
        amplitudeFraction: num(0.25, "", 0.01, 1, "sine amplitude, fraction of the continuous current"),
        points: num(14, "", 4, 40, "frequencies, log-spaced from 5 Hz to 0.45 x the loop rate", true),
    },
    rig: () => ({ kind: "blocked" }),
    run: async (b: Bench): Promise<ProtocolResult> => {
        const loopHz = b.setting("loopHz")
        const amplitudeA = round(b.num("amplitudeFraction") * b.setting("contA"), 3)
        const n = b.num("points")
        const f0 = 5
        const f1 = 0.45 * loopHz
        const freqs = Array.from({ length: n }, (_, i) => round(f0 * (f1 / f0) ** (i / (n - 1)), 4))
        const magDb: number[] = []
        const phaseDeg: number[] = []
        const records: CaptureData[] = []
        await b.armed(async () => {
            for (const f of freqs) {
                // at least two whole cycles after the transient, within the capture's 256 samples
                const decimation = Math.max(1, Math.ceil((2 * loopHz) / f / (MAX_SAMPLES - SETTLE_SAMPLES)))
                const samples = Math.min(MAX_SAMPLES, SETTLE_SAMPLES + Math.ceil((4 * loopHz) / f / decimation))
                await b.hold(30, () => b.joint.current(0))
                b.log(`sine ${f} Hz`)
                const c = await b.capture({ waveform: "sine", samples, decimation, amplitudeA, frequencyHz: f }, () => b.joint.current(0))
                records.push(c)
                // the board records each sample's reference and current as window means: their ratio
                // is the loop's response whatever the window
                const t = c.tS.slice(SETTLE_SAMPLES)
                const ref = sinePhasor(t, c.currentRefA.slice(SETTLE_SAMPLES), f)
                const out = sinePhasor(t, c.currentA.slice(SETTLE_SAMPLES), f)
                magDb.push(round(20 * Math.log10(out.magnitude / ref.magnitude)))
                let ph = ((out.phaseRad - ref.phaseRad) * 180) / Math.PI
                while (ph > 60) ph -= 360
                phaseDeg.push(round(ph))
            }
        })
        const bw = bandwidthHz(freqs, magDb)
        const design = designBandwidthHz(b.setting("currentBw"), loopHz)
        return {
            protocol: "sweep",
            rig: { kind: "blocked" },
            metrics: { bandwidthHz: round(bw), designBandwidthHz: round(design), amplitudeA, frequencyHz: freqs, magnitudeDb: magDb, phaseDeg },
            checks: [within("-3 dB bandwidth", round(bw), "Hz", round(design), 15)],
            plots: [
                { title: "closed-loop current response: magnitude", xLabel: "frequency (Hz)", yLabel: "dB", xLog: true, kind: "line", x: freqs, series: [{ label: "|I/Iref|", values: magDb }] },
                { title: "closed-loop current response: phase", xLabel: "frequency (Hz)", yLabel: "deg", xLog: true, kind: "line", x: freqs, series: [{ label: "phase", values: phaseDeg }] },
            ],
            captures: { sweep: records },
        }
    },
}
