// `loop-timing`: the firmware's own loop timing: its self-reported period statistics over a minute
// (mean, p99 deviation, overruns, from telemetry) and a histogram of single periods from captures.
// On hardware this is the only truth about the loop rate the board achieves.
import { num } from "../../../sim/params.ts"
import type { CaptureData } from "../bench-joint.ts"
import { mean } from "../fit.ts"
import { atMost, round, type Bench, type Protocol, type ProtocolResult } from "../protocol.ts"

const HISTOGRAM_BIN_US = 5
const MAX_BINS = 2000

export const loopTimingProtocol: Protocol = {
    name: "loop-timing",
    doc: "the firmware's self-reported loop period over a minute (mean, p99 deviation, overruns) and a histogram of single periods",
    params: { durationS: num(60, "s", 2, 3600, "how long the telemetry is watched") },
    rig: () => ({ kind: "blocked" }),
    run: async (b: Bench): Promise<ProtocolResult> => {
        const nominalUs = 1e6 / b.setting("loopHz")
        const start = b.joint.telemetryLog.length
        const records: CaptureData[] = []
        // the joint stays disabled: the loop runs all the same, and nothing needs feeding
        const durationMs = b.num("durationS") * 1000
        const t0 = b.nowMs()
        while (b.nowMs() - t0 < durationMs) {
            if (records.length < 4) records.push(await b.capture({ waveform: "none", samples: 256 }, async () => {}))
            else await b.sleep(Math.min(500, durationMs - (b.nowMs() - t0)))
        }
        const tel = b.joint.telemetryLog.slice(start)
        if (tel.length < 2) throw new Error("no telemetry from the joint during the loop-timing run")
        const overruns = tel[tel.length - 1].overruns - tel[0].overruns
        // the firmware reports zero until its first second of statistics is complete
        const meanPeriodUs = mean(tel.filter(t => t.loopPeriodMeanUs > 0).map(t => t.loopPeriodMeanUs))
        const p99DevUs = Math.max(...tel.map(t => t.loopPeriodP99DevUs))
        const periods = records.flatMap(r => r.periodUs)
        // 5 µs bins, wider when the periods spread further (a board far off its rate): at most MAX_BINS
        const binUs = Math.max(HISTOGRAM_BIN_US, Math.ceil((Math.max(...periods) - Math.min(...periods)) / MAX_BINS))
        const lo = Math.floor(Math.min(...periods) / binUs) * binUs
        const bins = Math.max(1, Math.ceil((Math.max(...periods) - lo) / binUs) + 1)
        const counts = new Array<number>(bins).fill(0)
        for (const p of periods) counts[Math.floor((p - lo) / binUs)]++
        return {
            protocol: "loop-timing",
            rig: { kind: "blocked" },
            metrics: {
                watchedS: round((b.nowMs() - t0) / 1000),
                telemetryReports: tel.length,
                loopPeriodMeanUs: round(meanPeriodUs),
                loopPeriodP99DevUsMax: p99DevUs,
                overruns,
                periodsCaptured: periods.length,
                capturedPeriodMinUs: round(Math.min(...periods)),
                capturedPeriodMaxUs: round(Math.max(...periods)),
            },
            checks: [
                atMost("mean period error", round(Math.abs(meanPeriodUs - nominalUs)), "us", nominalUs / 100),
                atMost("p99 period deviation", p99DevUs, "us", nominalUs / 10),
                atMost("overruns", overruns, "", 0),
            ],
            plots: [
                {
                    title: `loop period histogram (${periods.length} periods, ${binUs} us bins)`,
                    xLabel: "period (us)",
                    yLabel: "count",
                    kind: "bars",
                    x: counts.map((_, i) => lo + i * binUs),
                    series: [{ label: "periods", values: counts }],
                },
            ],
            captures: { periods: records },
        }
    },
}
