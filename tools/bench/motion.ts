// Slow, limited moves of the joint's output in impedance mode, for the protocols that need the output
// to turn (friction, torque constant): the position setpoint ramps at a constant speed, sent every
// 20 ms with its velocity (the board carries it forward between setpoints).
import type { CaptureData } from "./bench-joint.ts"
import type { Bench } from "./protocol.ts"

export interface MoveGains {
    kpNmRad: number
    kdNmsRad: number
}

/** the angle range moves keep to: the soft limits less a margin */
export function travelRange(b: Bench, marginRad: number): [number, number] {
    return [b.setting("posMinRad") + marginRad, b.setting("posMaxRad") - marginRad]
}

/** the output's angle now, from telemetry */
export async function angleNow(b: Bench): Promise<number> {
    return (await b.joint.nextTelemetry()).angleRad
}

/**
 * Ramps the setpoint from `fromRad` to `toRad` at `speedRadS`, then holds it `settleMs`. With
 * `capture`, the board records the constant-speed part of the move (`edgeMs` after the start to
 * `edgeMs` before the end) as `samples` means.
 */
export async function ramp(
    b: Bench,
    fromRad: number,
    toRad: number,
    speedRadS: number,
    g: MoveGains,
    opts: { settleMs?: number; capture?: { edgeMs: number; samples: number } } = {}
): Promise<CaptureData | undefined> {
    const dir = Math.sign(toRad - fromRad)
    const durationMs = (Math.abs(toRad - fromRad) / speedRadS) * 1000
    const v = dir * speedRadS
    const setpoint = (tMs: number) => b.joint.impedance(fromRad + v * Math.min(tMs, durationMs) / 1000, tMs < durationMs ? v : 0, g.kpNmRad, g.kdNmsRad, 0)
    const t0 = b.nowMs()
    const elapsed = () => b.nowMs() - t0
    let data: CaptureData | undefined
    const c = opts.capture
    if (c) {
        const windowMs = durationMs - 2 * c.edgeMs
        if (windowMs < 100) throw new Error(`a move of ${Math.abs(toRad - fromRad).toFixed(2)} rad at ${speedRadS} rad/s is too short to record`)
        const decimation = Math.max(1, Math.floor((windowMs * b.setting("loopHz")) / 1000 / c.samples))
        await b.hold(c.edgeMs, setpoint)
        data = await b.capture({ waveform: "none", samples: c.samples, decimation }, () => setpoint(elapsed()))
    }
    await b.hold(durationMs - elapsed(), () => setpoint(elapsed()))
    await b.hold(opts.settleMs ?? 200, () => setpoint(durationMs))
    return data
}
