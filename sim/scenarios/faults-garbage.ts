// The faults scenario's "garbage frames" case (issue 17, case 5, as a row of faults): a joint holds a
// 5 kg link against gravity for its body controller (the leg's setpoint frame, as the scenario's
// other hold cases) when a burst of seeded garbage frames with a valid CRC and replays of a valid hold
// at ten times the command rate reach its bus (the generator of `hfw sim garbage`:
// sim/bus/garbage-burst.ts, the joint's commands of garbage-boards.ts); a few thousand frames, not the
// garbage scenario's 100 000, so that faults stays quick.
//
// The row: detected, the board kept answering and did not panic (no VM panic, its telemetry kept
// coming through the burst: no gap over GAP_BOUND_US); reactionMs, null: garbage is no fault to react
// to, the board is to ignore it (what it did in its time is in `measured`, and the fault codes the
// garbage made it report in `reported`); safeState "limits held": from the burst's start to the end of
// the run, the true winding current (plant side) never above the settings' peak current (below their
// trip level) and the link within their soft position limits; staysSafe, the same (it covers the burst
// and the recovery); recovered, once the burst is over the
// body controller clears and enables the joint (it disables first: the garbage may have opened a session
// of its own) until it is back in impedance without a fault, and from RECOVERED_BY on the link is back
// at its hold (the mean of the last 200 ms within 0.01 rad of the mean of the 200 ms before the burst:
// gravity and the gearbox's friction leave it short of the setpoint by about the same either time).
import type { ParamValues } from "../params.ts"
import { meanBetween } from "./joint-metrics.ts"
import type { Simulation } from "../simulation.ts"
import { linkLoad } from "../plants/loads.ts"
import type { ImpedanceSetpoint } from "../clients/leg-setpoints.ts"
import { jointCommands, jointIndexes } from "./garbage-boards.ts"
import { garbageBurst, isControlReset, type GarbageBurst } from "../bus/garbage-burst.ts"
import { PLANT_STEP_US } from "../hardware/joint-board.ts"
import { round } from "../numbers.ts"
import { drivingFrom, rowArming, rowJoint, type FaultTimes } from "./fault-rows.ts"
import { JOINT_MODE } from "../clients/joint-client.ts"

export const GARBAGE_FRAMES = {
    fault: "garbage frames",
    /** no fault code is expected: the board is to ignore the garbage */
    expect: "none",
    safeState: "limits held",
}

/** the burst: frames (garbage and replays together), the garbage's rate, and the replays' period (ten times the commands') */
const FRAMES = 3000
const GARBAGE_HZ = 1000
const REPLAY_PERIOD_US = 1_000
/** telemetry comes every 40 ms: a gap over this while the garbage runs counts as not answering (the garbage scenario's test's bound) */
const GAP_BOUND_US = 300_000
/**
 * the hold: damped about 0.7 of critical with the link's 0.45 kg·m² and the rotor's 0.16 through the
 * gearbox (with kd 5 it still rang when the burst began)
 */
const HOLD: ImpedanceSetpoint = { posRad: 0.5, velRadS: 0, kpNmRad: 200, kdNmsRad: 15, ffNm: 0 }
const GRAVITY_LINK = linkLoad({ massKg: 5, leverM: 0.3, gravity: true })
/** the angle is averaged over this long before the burst (the hold has settled by then) and at the end of the run */
const WINDOW_US = 200_000
const AT_HOLD_RAD = 0.01

export async function garbageFramesCase(sim: Simulation, p: ParamValues, name: string, t: FaultTimes) {
    const { board: b, bus, legFrame, drives } = await rowJoint(sim, p, name, GRAVITY_LINK, HOLD.posRad)
    const c = b.client
    const s = b.opts.settings
    const indexes = jointIndexes(bus, c.serverDeviceId)
    const commands = jointCommands(c, indexes)

    // the plant, every step: the true current's peak and the angle's range from the burst on
    let maxA = 0
    let minRad = Infinity
    let maxRad = -Infinity
    const angles: [number, number][] = []
    sim.integrate({
        maxStepUs: PLANT_STEP_US,
        step: (_dtS, tUs) => {
            const a = b.actuator.angleRad
            if (tUs % 10_000 === 0) angles.push([tUs, a])
            if (tUs < t.injectUs) return
            maxA = Math.max(maxA, Math.abs(b.actuator.currentA))
            minRad = Math.min(minRad, a)
            maxRad = Math.max(maxRad, a)
        },
    })

    let burst: GarbageBurst | undefined
    sim.clock.schedule(t.injectUs, () => {
        burst = garbageBurst(sim.clock, {
            segment: bus,
            random: sim.random.fork(`${name}/garbage`),
            deviceId: c.serverDeviceId,
            templates: commands.templates(),
            excluded: isControlReset,
            garbageHz: GARBAGE_HZ,
            replayed: commands.replayed,
            replayPeriodUs: REPLAY_PERIOD_US,
            frames: FRAMES,
            untilUs: t.removeUs,
            onEnd: () => {},
        })
    })

    // the body controller: arms the joint and holds the link through the leg's frame; from clearUs on,
    // while the joint is faulted, out of impedance or without its token, it disables, clears and enables
    const arming = rowArming(
        c,
        t,
        () => !!c.telemetry && c.telemetry.fault === 0 && c.telemetry.mode === JOINT_MODE.impedance && !!c.token,
        () => {
            c.disable()
            c.clearFault()
            c.enable()
        }
    )
    const tick = () => {
        if (arming(sim.clock.nowUs)) legFrame.send([c.token ? { ...HOLD, token: c.token } : undefined])
    }
    sim.clock.every(t.commandPeriodUs, tick)

    const meanAngle = (fromUs: number, toUs: number) => meanBetween(angles, fromUs, toUs)
    return {
        board: b,
        drives,
        row: () => {
            const endUs = burst && !Number.isNaN(burst.endUs) ? burst.endUs : t.removeUs
            const during = c.telemetryLog.filter(x => x.tUs >= t.injectUs && x.tUs <= endUs).map(x => x.tUs)
            const gaps = [t.injectUs, ...during, endUs].slice(1).map((tUs, i, a) => tUs - (i ? a[i - 1] : t.injectUs))
            const maxGapUs = Math.max(...gaps)
            const panicked = sim.panics.some(x => x.board === b.name)
            const detected = !panicked && during.length > 0 && maxGapUs <= GAP_BOUND_US
            const reported = [...new Set(c.faults.filter(f => f.tUs >= t.injectUs && f.tUs <= endUs).map(f => f.name))]
            const limitsHeld = maxA <= s.peakA && minRad >= s.posMinRad && maxRad <= s.posMaxRad
            const heldRad = meanAngle(t.injectUs - WINDOW_US, t.injectUs)
            const endRad = meanAngle(sim.clock.nowUs - WINDOW_US, sim.clock.nowUs + 1)
            const tel = c.telemetry
            const recovered =
                drivingFrom(drives, t.recoveredByUs) &&
                tel?.mode === JOINT_MODE.impedance &&
                tel.fault === 0 &&
                Math.abs(endRad - heldRad) <= AT_HOLD_RAD
            const sent = burst?.sent ?? { random: 0, mutated: 0, replay: 0 }
            return {
                fault: GARBAGE_FRAMES.fault,
                detected,
                reported,
                reactionMs: null,
                safeState: limitsHeld ? GARBAGE_FRAMES.safeState : null,
                staysSafe: limitsHeld,
                recovered,
                passed: detected && limitsHeld && recovered,
                measured: {
                    framesSent: sent.random + sent.mutated + sent.replay,
                    garbageFrames: sent.random + sent.mutated,
                    replays: sent.replay,
                    burstMs: round((endUs - t.injectUs) / 1000, 1),
                    framesDroppedByBoard: b.vm.framesDropped,
                    telemetryDuringBurst: during.length,
                    maxTelemetryGapMs: round(maxGapUs / 1000, 1),
                    maxCurrentA: round(maxA, 2),
                    peakA: s.peakA,
                    tripA: s.tripA,
                    minRad: round(minRad, 4),
                    maxRad: round(maxRad, 4),
                    heldBeforeRad: round(heldRad, 4),
                    heldAfterRad: round(endRad, 4),
                },
            }
        },
    }
}
