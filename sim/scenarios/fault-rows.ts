// What the faults scenario's rows share (faults.ts and the rows with files of their own): the
// scenario's timeline, a joint on a bus of its own following a leg's setpoint frame, and the body
// controller's arming and recovery.
import type { ParamValues } from "../params.ts"
import type { Simulation } from "../simulation.ts"
import type { JointClient } from "../clients/joint-client.ts"
import { LegSetpointsHost } from "../clients/leg-setpoints.ts"
import type { JointBoard } from "../hardware/joint-board.ts"
import type { JointLoad } from "../plants/loads.ts"
import { addJoint } from "./joint-common.ts"

/** the faults scenario's timeline (faults.ts) */
export interface FaultTimes {
    injectUs: number
    removeUs: number
    clearUs: number
    recoveredByUs: number
    commandPeriodUs: number
    retryUs: number
}

/**
 * A fault row's body controller arming its joint, each command period: false until the client has
 * connected; then it enables once, and from `t.clearUs` on, while `back()` is false, runs `recover()`
 * (its clear and re-arm) at most every `t.retryUs`.
 */
export function rowArming(c: JointClient, t: FaultTimes, back: () => boolean, recover: () => void): (nowUs: number) => boolean {
    let armed = false
    let lastRetryUs = -Infinity
    return nowUs => {
        if (!c.tryConnect()) return false
        if (!armed) {
            c.enable()
            armed = true
        }
        if (nowUs >= t.clearUs && nowUs - lastRetryUs >= t.retryUs && !back()) {
            lastRetryUs = nowUs
            recover()
        }
        return true
    }
}

/** a row's bridge commands: when each came, and whether it had the bridge on */
export type Drives = [number, boolean][]

/** every bridge command of `board` from now on */
export function recordDrives(board: JointBoard): Drives {
    const drives: Drives = []
    board.onDrive(tUs => drives.push([tUs, board.bridgeOn]))
    return drives
}

/** the joint drove again: it gave bridge commands from `fromUs`, every one with the bridge on */
export function drivingFrom(drives: Drives, fromUs: number): boolean {
    const after = drives.filter(([tUs]) => tUs >= fromUs)
    return after.length > 0 && after.every(([, on]) => on)
}

/**
 * A row's joint: on a bus of its own (`bus_<name>`, so that what is done to one row's bus touches no
 * other), in the leg's slot 0, with its body controller's leg frame on that bus, its bridge commands
 * recorded.
 */
export async function rowJoint(sim: Simulation, p: ParamValues, name: string, load: JointLoad, initialAngleRad = 0, settings: Record<string, number> = {}) {
    const board = await addJoint(sim, p, name, load, initialAngleRad, `bus_${name}`, { legSlot: 0, ...settings })
    const bus = board.opts.body
    return { board, bus, legFrame: new LegSetpointsHost(bus, `${name}/body`), drives: recordDrives(board) }
}
