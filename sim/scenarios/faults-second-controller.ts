// The faults scenario's "second controller" case (issue 17, case 3; services/jointactuator.md, "One
// command source"): a joint holds a 5 kg link turning in the horizontal plane (a hip yaw's load: no
// gravity, so where it rests is where it was put) for its body controller (the first controller, the
// leg's setpoint frame with its session token) when a bench tool on the same bus (the second
// controller, its own client of the joint) tries to drive it: enable, then impedance setpoints
// towards another angle, first with no token, then with a stale one. Jacdac commands do not say who
// sent them, so two clients on the host's one bus are what two controllers on the wire are.
//
// The row: detected, the joint refused the second controller (its enable's reply, the refusal events);
// reactionMs, the joint's own: from the enable reaching it to its refusal leaving it (the bound, two
// periods, is the joint's; the bus's queue and wire time are not: at 1 kHz the enable waited 1.58 ms
// behind the first controller's 152-byte leg frame sent in the same instant), and in `measured` the
// latency the second controller heard, from its enable sent to the refusal received; safeState "first
// controller", the second's setpoints moved nothing (the link stayed at the first's hold, in
// impedance, no fault); staysSafe, while the second keeps at it the joint still follows the first
// (which moves its hold) and never grants the second a session; recovered, once the first disables
// the joint, the second enables it, gets a token and holds the link at its own angle.
import type { ParamValues } from "../params.ts"
import { meanBetween } from "./joint-metrics.ts"
import type { Simulation } from "../simulation.ts"
import { linkLoad } from "../plants/loads.ts"
import { JOINT_MODE, JointClient } from "../clients/joint-client.ts"
import type { ImpedanceSetpoint } from "../clients/leg-setpoints.ts"
import { drivingFrom, rowJoint, type FaultTimes } from "./fault-rows.ts"
import { round } from "../numbers.ts"
import type { JointBoard } from "../hardware/joint-board.ts"
import { Packet } from "jacdac-ts"
import { servicePacket } from "../services.ts"

export const SECOND_CONTROLLER = {
    fault: "second controller",
    /** the refusals expected: of its enable, of its setpoints without a token and with a stale one */
    expect: "SessionOpen, NoToken, WrongToken",
    safeState: "first controller",
}

const LINK = linkLoad({ massKg: 5, leverM: 0.3, gravity: false })
/**
 * the first controller's hold (where the link starts), and the step it makes while the second is at
 * it; damped about 0.7 of critical with the link's 0.45 kg·m² and the rotor's 0.16 through the gearbox
 */
const FIRST_HOLD: ImpedanceSetpoint = { posRad: 0.5, velRadS: 0, kpNmRad: 100, kdNmsRad: 11, ffNm: 0 }
const FIRST_STEP_RAD = 0.1
/** the second controller's hold: 0.4 rad from the first's, stiffer */
const SECOND_HOLD: ImpedanceSetpoint = { posRad: 0.9, velRadS: 0, kpNmRad: 200, kdNmsRad: 15, ffNm: 0 }
/** the link's angle is averaged over this long before a judgement */
const WINDOW_US = 300_000
/**
 * the link counts as unmoved while within this of where it was before the second controller came,
 * and as at a hold when its mean is within this of the hold's angle (the gearbox's friction leaves it
 * short by its torque over the stiffness)
 */
const STILL_RAD = 0.01
const AT_HOLD_RAD = 0.02
/** the enable command and its reply (a report with the command's code) */
const ENABLE_CODE = servicePacket("jointactuator", "enable", "command").identifier

export async function secondControllerCase(sim: Simulation, p: ParamValues, name: string, t: FaultTimes) {
    const { board: b, bus, legFrame, drives } = await rowJoint(sim, p, name, LINK, FIRST_HOLD.posRad)
    const first = b.client
    const second = new JointClient(bus.bus, sim.clock, first.serverDeviceId, "bench")
    const secondStartsStaleUs = (t.injectUs + t.removeUs) / 2
    const firstStepsUs = secondStartsStaleUs + 50_000

    const angles: [number, number][] = []
    b.onDrive(tUs => angles.push([tUs, b.actuator.angleRad]))
    // the second controller's enables and what the joint answered
    let secondEnableSentUs: number | undefined
    let secondRefusedUs: number | undefined
    // the joint's own part: the enable carried to it, and its reply handed to the wire
    let enableReachedUs: number | undefined
    let replyLeftUs: number | undefined
    bus.onCarry.push((frame, _startUs, endUs) => {
        if (secondEnableSentUs === undefined || replyLeftUs !== undefined) return
        for (const pkt of Packet.fromFrame(frame, sim.clock.nowUs, true)) {
            if (pkt.deviceIdentifier !== first.serverDeviceId || pkt.serviceCommand !== ENABLE_CODE) continue
            if (pkt.isCommand) enableReachedUs ??= endUs
            else if (enableReachedUs !== undefined && !pkt.isEvent) replyLeftUs = sim.clock.nowUs
        }
    })
    let grantedBeforeRemoveUs: number | undefined
    const seen = new Set<string>()
    second.enableReplyHooks.push(r => {
        if (r.tUs < t.injectUs || r.tUs >= t.removeUs) return
        if (second.enableRefusal) {
            secondRefusedUs ??= r.tUs
            seen.add(second.enableRefusal)
        } else if (second.token) grantedBeforeRemoveUs ??= r.tUs
    })

    let firstArmed = false
    let lastRetryUs = -Infinity
    let staleToken = 0
    const tick = () => {
        const now = sim.clock.nowUs
        if (!first.tryConnect() || !second.tryConnect()) return
        // the first controller: arms the joint, holds the link through the leg's frame, steps its hold
        // midway, and lets the joint go (disable) at removeUs; its frames go on with the slot empty
        if (!firstArmed) {
            first.enable()
            firstArmed = true
        }
        if (now >= t.removeUs && first.token) first.disable()
        const hold = now >= firstStepsUs ? { ...FIRST_HOLD, posRad: FIRST_HOLD.posRad + FIRST_STEP_RAD } : FIRST_HOLD
        legFrame.send([now < t.removeUs && first.token ? { ...hold, token: first.token } : undefined])
        if (now < t.injectUs) return
        // the second controller: asks for the joint, then sends its own hold: with no token, then
        // with a stale one (not the session's: one off it, as a tool that held the joint in an
        // earlier session might); from clearUs it asks again until granted, and drives with its token
        if (now < t.removeUs) {
            if (secondEnableSentUs === undefined) {
                second.enable()
                secondEnableSentUs = now
                return
            }
            if (now >= secondStartsStaleUs && !staleToken) second.token = staleToken = first.token === 1 ? 65535 : first.token - 1
        } else if (now < t.clearUs) return
        else {
            if (staleToken) second.token = staleToken = 0 // it drops the stale token and asks again
            if (!second.token) {
                if (now - lastRetryUs >= t.retryUs) {
                    lastRetryUs = now
                    second.enable()
                }
                return
            }
        }
        const h = SECOND_HOLD
        second.impedance(h.posRad, h.velRadS, h.kpNmRad, h.kdNmsRad, h.ffNm)
    }
    sim.clock.every(t.commandPeriodUs, tick)

    const meanAngle = (fromUs: number, toUs: number) => meanBetween(angles, fromUs, toUs)
    return {
        board: b,
        drives,
        row: () => {
            // the refusals heard while the second controller was at it (events, and its enable's reply)
            for (const r of [...first.refusals, ...second.refusals]) if (r.tUs >= t.injectUs && r.tUs < t.removeUs) seen.add(r.reason)
            const reported = [...seen]
            const detected = ["SessionOpen", "NoToken", "WrongToken"].every(x => seen.has(x))
            const heardMs = secondRefusedUs !== undefined && secondEnableSentUs !== undefined ? round((secondRefusedUs - secondEnableSentUs) / 1000, 3) : null
            const reactionMs = secondRefusedUs !== undefined && enableReachedUs !== undefined && replyLeftUs !== undefined ? round((replyLeftUs - enableReachedUs) / 1000, 3) : null
            const during = first.telemetryLog.filter(x => x.tUs >= t.injectUs && x.tUs < t.removeUs)
            const obeyingFirst = during.length > 0 && during.every(x => x.mode === JOINT_MODE.impedance && x.fault === 0)
            // unmoved by the second's setpoints until the first steps its hold
            const beforeRad = meanAngle(t.injectUs - WINDOW_US, t.injectUs)
            const stillUntilStep = angles.filter(([tUs]) => tUs >= t.injectUs && tUs < firstStepsUs).map(([, a]) => Math.abs(a - beforeRad))
            const maxMoveRad = Math.max(...stillUntilStep)
            const safeState = obeyingFirst && maxMoveRad <= STILL_RAD ? SECOND_CONTROLLER.safeState : null
            // still following the first controller: at its stepped hold before it lets go, never granted to the second
            const firstSteppedRad = FIRST_HOLD.posRad + FIRST_STEP_RAD
            const followedRad = meanAngle(t.removeUs - WINDOW_US, t.removeUs)
            const staysSafe = obeyingFirst && grantedBeforeRemoveUs === undefined && Math.abs(followedRad - firstSteppedRad) <= AT_HOLD_RAD
            // the second holds the link at its own angle once it was handed the joint
            const endRad = meanAngle(sim.clock.nowUs - WINDOW_US, sim.clock.nowUs + 1)
            const tel = second.telemetry
            const recovered =
                drivingFrom(drives, t.recoveredByUs) &&
                second.token !== 0 &&
                tel?.mode === JOINT_MODE.impedance &&
                Math.abs(endRad - SECOND_HOLD.posRad) <= AT_HOLD_RAD
            const limitMs = reactionLimitMs(b)
            const passed = detected && safeState === SECOND_CONTROLLER.safeState && (reactionMs ?? Infinity) <= limitMs && staysSafe && recovered
            return {
                fault: SECOND_CONTROLLER.fault,
                detected,
                reported,
                reactionMs,
                safeState,
                staysSafe,
                recovered,
                passed,
                measured: {
                    refusalHeardMs: heardMs,
                    maxMoveRad: round(maxMoveRad, 5),
                    firstHoldRad: firstSteppedRad,
                    followedFirstRad: round(followedRad, 4),
                    secondHoldRad: SECOND_HOLD.posRad,
                    heldBySecondRad: round(endRad, 4),
                },
            }
        },
    }
}

/** the refusal must be heard within two control periods of the second controller's enable (10 µs for rounding) */
export const reactionLimitMs = (b: JointBoard) => (2 * 1000) / b.opts.settings.loopHz + 0.01
