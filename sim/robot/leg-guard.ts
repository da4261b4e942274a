// The body controller's answer to a joint lost mid-walk (its board silent, faulted, or restarted): the
// other joints of that leg go to damping at once (a zero-stiffness impedance setpoint), the lost joint
// gets no setpoint, and when its board answers again it is cleared and enabled (the only way a joint
// re-arms: services/jointactuator.md); the leg walks again once the joint reports itself armed and
// its enable's reply has given the body controller the session's token.
import { JOINT_MODE, type JointClient, type JointTelemetry } from "../clients/joint-client.ts"
import { enumName } from "../services.ts"
import type { JointSpec, Leg } from "./joints.ts"

/** an armed joint whose telemetry (every 40 ms) stops for this long has stopped answering */
export const SILENT_AFTER_US = 200_000
/** a clear or enable not seen taking effect is sent again after this long */
const RESEND_US = 50_000
/** a report received this long after a command reflects it (a board handles a command at its next wake) */
const REPORT_AFTER_COMMAND_US = 20_000

/** one lost joint, from the body controller's side: every time is when the body controller saw or did it */
export interface JointIncident {
    board: string
    leg: Leg
    /**
     * what gave it away first: its telemetry stopped ("silent"), or it reported a fault or itself disabled
     */
    cause: "silent" | "fault" | "disabled"
    noticedUs: number
    /** the leg's other joints, put in damping when the joint was noticed lost */
    damped: string[]
    /** when its announce said it had restarted (jacdac-ts: the restart counter went back) */
    restartSeenUs?: number
    /** the fault the board reported (event or telemetry), and when the body controller saw it */
    fault?: string
    faultSeenUs?: number
    /** the first clear and the first enable sent (the joint is re-armed from the enable on) */
    clearSentUs?: number
    enableSentUs?: number
    /** the joint reported itself armed again, without a fault */
    rearmedUs?: number
    /** the leg walks again (the body controller's choice of moment after the re-arm: walkAgain) */
    walkingUs?: number
}

export interface GuardedJoint {
    spec: JointSpec
    client: JointClient
}

export class LegGuard {
    readonly incidents: JointIncident[] = []
    private open = new Map<string, JointIncident>()
    /** joints whose telemetry has shown them armed since they were last (re)armed */
    private seenArmed = new Set<string>()
    /** the last clear or enable sent to each joint being re-armed */
    private lastCommandUs = new Map<string, number>()

    /** `dampLeg(leg, exceptBoard)` sends the leg's other joints their damping setpoint now, and names them */
    constructor(
        joints: GuardedJoint[],
        private dampLeg: (leg: Leg, exceptBoard: string) => string[]
    ) {
        for (const j of joints) {
            j.client.faultHooks.push(f => this.lost(j, "fault", f.tUs, f.name))
            j.client.telemetryHooks.push(t => this.onTelemetry(j, t))
            // the announce's restart counter comes with the board's next announce (every 500 ms), often
            // after the board's fault has re-armed it: it is noted on the joint's last incident, not acted on
            j.client.restartHooks.push(tUs => {
                const inc = [...this.incidents].reverse().find(i => i.board === j.spec.name)
                if (inc && inc.restartSeenUs === undefined) inc.restartSeenUs = tUs
            })
        }
    }

    /** the leg has a joint lost, or re-armed and not yet walking */
    damped(leg: Leg): boolean {
        for (const inc of this.open.values()) if (inc.leg === leg) return true
        return this.waitingToWalk(leg)
    }

    /** the leg's lost joint is re-armed: the leg waits for the body controller to walk it again */
    waitingToWalk(leg: Leg): boolean {
        for (const inc of this.incidents) if (inc.leg === leg && inc.rearmedUs !== undefined && inc.walkingUs === undefined) return true
        return false
    }

    /** the leg walks again from `tUs` (its re-armed joints' incidents are over) */
    walkAgain(leg: Leg, tUs: number) {
        for (const inc of this.incidents) if (inc.leg === leg && inc.rearmedUs !== undefined && inc.walkingUs === undefined) inc.walkingUs = tUs
    }

    /**
     * The share of its stiffness a leg walking again gets at `tUs`: rising from 0 to 1 over `rampUs`
     * from when it walks again, so the leg comes back to its references without a jolt; 1 otherwise.
     */
    stiffnessShare(leg: Leg, tUs: number, rampUs: number): number {
        let share = 1
        for (const inc of this.incidents)
            if (inc.leg === leg && inc.walkingUs !== undefined && tUs < inc.walkingUs + rampUs) share = Math.min(share, Math.max(0, (tUs - inc.walkingUs) / rampUs))
        return share
    }

    /** the leg was damped at `tUs`, or walked again less than `settleUs` before it */
    excused(leg: Leg, tUs: number, settleUs: number): boolean {
        // (asked for every joint at every plant step: a loop, not a closure per call)
        for (const inc of this.incidents) if (inc.leg === leg && inc.noticedUs <= tUs && tUs < (inc.walkingUs ?? Infinity) + settleUs) return true
        return false
    }

    /**
     * Once per command period for an armed joint: true when it walks (gets its setpoint); false while it
     * is lost, then cleared and enabled as its board answers again.
     */
    walks(j: GuardedJoint, armedUs: number, tUs: number): boolean {
        const inc = this.open.get(j.spec.name)
        if (!inc) {
            const lastUs = Math.max(j.client.telemetry?.tUs ?? 0, armedUs)
            if (tUs - lastUs <= SILENT_AFTER_US) return true
            this.lost(j, "silent", tUs)
            return false
        }
        this.rearm(j, inc, tUs)
        return inc.rearmedUs !== undefined
    }

    private onTelemetry(j: GuardedJoint, t: JointTelemetry) {
        const name = j.spec.name
        if (t.fault !== 0) this.lost(j, "fault", t.tUs, enumName("boardfault", "Code", t.fault))
        else if (t.mode !== JOINT_MODE.disabled) this.seenArmed.add(name)
        else if (this.seenArmed.has(name)) this.lost(j, "disabled", t.tUs)
        const inc = this.open.get(name)
        if (inc) this.rearm(j, inc, t.tUs)
    }

    /** the joint is lost (or, already lost, reports its fault): its leg is damped now */
    private lost(j: GuardedJoint, cause: JointIncident["cause"], tUs: number, fault?: string) {
        const name = j.spec.name
        let inc = this.open.get(name)
        if (!inc) {
            inc = { board: name, leg: j.spec.leg, cause, noticedUs: tUs, damped: this.dampLeg(j.spec.leg, name) }
            this.open.set(name, inc)
            this.incidents.push(inc)
            this.seenArmed.delete(name)
        }
        if (fault && inc.fault === undefined) {
            inc.fault = fault
            inc.faultSeenUs = tUs
            this.rearm(j, inc, tUs)
        }
    }

    /**
     * Clear while the board reports a fault, then enable while it reports itself disabled; re-armed once
     * it reports itself armed and the enable's reply brought the token. Armed without the token for
     * RESEND_US (the reply lost, or a session of another controller's), it is disabled and enabled
     * again. A command is sent again when no report shows its effect in RESEND_US.
     * Nothing is sent before the board answers. Runs each period and on each report, so a command
     * follows the report that asks for it at once.
     */
    private rearm(j: GuardedJoint, inc: JointIncident, tUs: number) {
        const name = j.spec.name
        const t = j.client.telemetry
        const since = t !== undefined && t.tUs >= inc.noticedUs ? t : undefined
        if (!since && (inc.faultSeenUs ?? -1) < inc.noticedUs) return
        const lastUs = this.lastCommandUs.get(name)
        const reflects = since !== undefined && (lastUs === undefined || since.tUs - lastUs >= REPORT_AFTER_COMMAND_US)
        if (!reflects && lastUs !== undefined && tUs - lastUs < RESEND_US) return
        if (!since || since.fault !== 0) {
            j.client.clearFault()
            inc.clearSentUs ??= tUs
            this.lastCommandUs.set(name, tUs)
        } else if (since.mode === JOINT_MODE.disabled) {
            // (an enable's reply may bring the token before a report shows the joint armed: not again)
            if (j.client.token && j.client.tokenSinceUs > since.tUs) return
            j.client.enable()
            inc.enableSentUs ??= tUs
            this.lastCommandUs.set(name, tUs)
        } else if (!j.client.token) {
            if (lastUs !== undefined && tUs - lastUs < RESEND_US) return
            j.client.disable()
            this.lastCommandUs.set(name, tUs)
        } else if (reflects) {
            inc.rearmedUs = tUs
            this.open.delete(name)
            this.lastCommandUs.delete(name)
            this.seenArmed.add(name)
        }
    }
}
