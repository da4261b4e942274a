// A board restarted mid-walk (robot-walk's inject.restartBoard): the brown-out itself (the board's VM
// starts over from its flash after the gap), what the plant saw of the restarted joint from the power
// loss to its re-arm (its bridge and current: it must not drive), its tracking once it walks again,
// and the summary row of what happened and when.
import type { Simulation } from "../simulation.ts"
import type { BoardVm } from "../vm/board-vm.ts"
import type { JointBoard } from "../hardware/joint-board.ts"
import type { LegGuard } from "../robot/leg-guard.ts"
import type { JointSpec } from "../robot/joints.ts"
import { PLANT_STEP_US, onPlantGrid } from "../hardware/joint-board.ts"
import { round } from "../numbers.ts"

/** the restarted joint's tracking is scored from this long after it walks again */
export const RESTART_SETTLE_US = 300_000

export interface RestartOptions {
    atUs: number
    /** supply under the brown-out threshold, then the chip's boot to its application */
    offMs: number
    bootMs: number
}

export interface RestartedJoint {
    spec: JointSpec
    board: JointBoard
}

export class RestartWatch {
    /** plant steps with the restarted joint's bridge on, from the power loss to its re-arm */
    private bridgeOnSteps = 0
    private maxCurrentA = 0
    private trackingSq = { sum: 0, n: 0, maxRad: 0 }
    /** the restarted joint's enables refused while it measured its current offset */
    private calibratingRefusals = 0

    private constructor(
        private vm: BoardVm,
        private opts: RestartOptions,
        private joint: RestartedJoint | undefined,
        private guard: LegGuard
    ) {}

    /** schedules the restart of `vm` (a joint's when `joint` is given) and watches it */
    static async start(sim: Simulation, vm: BoardVm, opts: RestartOptions, guard: LegGuard, joint?: RestartedJoint, referenceRad?: (spec: JointSpec, tUs: number) => number) {
        const w = new RestartWatch(vm, opts, joint, guard)
        await vm.prepareRestart()
        sim.clock.schedule(opts.atUs, () => vm.restart((opts.offMs + opts.bootMs) * 1000))
        if (joint && referenceRad) sim.integrate({ maxStepUs: PLANT_STEP_US, step: (_dtS, endUs) => w.step(endUs, referenceRad) })
        joint?.board.client.enableReplyHooks.push(r => {
            if (r.tUs >= opts.atUs && r.token === 0 && r.refusal === "Calibrating") w.calibratingRefusals++
        })
        return w
    }

    private get incident() {
        return this.guard.incidents.find(i => i.board === this.vm.name && i.noticedUs >= this.opts.atUs)
    }

    private step(endUs: number, referenceRad: (spec: JointSpec, tUs: number) => number) {
        if (!onPlantGrid(endUs) || endUs <= this.opts.atUs) return
        const { spec, board } = this.joint!
        const inc = this.incident
        if (inc?.enableSentUs === undefined || endUs < inc.enableSentUs) {
            if (board.bridgeOn) this.bridgeOnSteps++
            this.maxCurrentA = Math.max(this.maxCurrentA, Math.abs(board.actuator.currentA))
            return
        }
        if (inc.walkingUs === undefined || endUs < inc.walkingUs + RESTART_SETTLE_US) return
        const e = board.actuator.angleRad - referenceRad(spec, endUs)
        this.trackingSq.sum += e * e
        this.trackingSq.n++
        this.trackingSq.maxRad = Math.max(this.trackingSq.maxRad, Math.abs(e))
    }

    /** what happened and when: times in s of the run, durations in ms, each measured in this run */
    summary() {
        const s = (us: number | undefined) => (us === undefined ? null : round(us / 1e6, 4))
        const ms = (fromUs: number | undefined, toUs: number | undefined) =>
            fromUs === undefined || toUs === undefined ? null : round((toUs - fromUs) / 1000, 2)
        const r = this.vm.restarts[0]
        const inc = this.incident
        const deg = (rad: number) => (rad * 180) / Math.PI
        const t = this.trackingSq
        return {
            board: this.vm.name,
            atS: s(r?.offAtUs),
            offMs: this.opts.offMs,
            bootMs: this.opts.bootMs,
            /** the restarted board's first frame on the bus (its runtime's, at its boot) */
            backAtS: s(r?.firstFrameUs),
            /** its manager started its stored program (STORED_PROGRAM_START_MS after boot) */
            programBackAtS: s(r?.programStartUs),
            ...(this.joint && {
                /** what gave the loss away first, and how long after the power loss */
                noticedAs: inc?.cause ?? null,
                lostNoticedMs: ms(r?.offAtUs, inc?.noticedUs),
                /** the fault the board came back with, seen how long after its program started (it cannot say before) */
                fault: inc?.fault ?? null,
                restartNoticedMs: ms(r?.programStartUs, inc?.faultSeenUs),
                /** its announce's restart counter seen by jacdac-ts, how long after its first frame */
                announceRestartSeenMs: ms(r?.firstFrameUs, inc?.restartSeenUs),
                legDampedAtS: s(inc?.noticedUs),
                damped: inc?.damped ?? [],
                clearAtS: s(inc?.clearSentUs),
                rearmedAtS: s(inc?.enableSentUs),
                /** the enables it refused while it measured its current offset (asked again every 20 ms) */
                enableRefusedCalibrating: this.calibratingRefusals,
                /** armed: the enable's token in hand and its telemetry showing it armed */
                armedAtS: s(inc?.rearmedUs),
                walkingAgainAtS: s(inc?.walkingUs),
                /** from the power loss until it walks again */
                darkMs: ms(r?.offAtUs, inc?.walkingUs),
                // the plant's side, from the power loss to the enable: the joint must not drive
                bridgeOnBeforeRearmMs: round((this.bridgeOnSteps * PLANT_STEP_US) / 1000, 2),
                maxCurrentBeforeRearmA: round(this.maxCurrentA, 3),
                trackingAfterRearmRmsDeg: t.n ? round(deg(Math.sqrt(t.sum / t.n)), 3) : null,
                trackingAfterRearmMaxDeg: t.n ? round(deg(t.maxRad), 3) : null,
            }),
        }
    }
}
