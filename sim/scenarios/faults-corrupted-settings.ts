// The faults scenario's "corrupted settings" case (issue 17, case 6, as a row of faults): a joint
// powers up with one bit of its stored settings record flipped in flash (a digit of a value: still a
// number, still in range, so only the record's check finds it; devs/lib/setting-record.ts). Its body
// controller commands it as the scenario's current cases do (enable, 5 A every command period, and
// from clearUs clear and enable every retry period). At removeUs the record is written good again the
// way `hfw deploy --reprovision` writes it (a Settings `set` of the joint's record to the board's own
// settings service, as tools/deploy/board-link.ts writeSetting does), and the board restarts (a power
// cycle here, where the deploy has the program restarted): from its flash, now repaired.
//
// The row: detected, the board reported InvalidSetting (its telemetry's fault code, its events);
// reactionMs 0: it is latched at the program's start, before any bridge command (as the "invalid
// setting" row's; it counts only when safeState holds); safeState "off", no bridge command with the
// bridge on before the repair (there are none at all: the loop never runs) and no current in the
// winding (plant side); staysSafe, the same while commanded (the repair, at removeUs, comes before the
// first clear at clearUs: that a clear leaves an invalid setting latched is the "invalid setting"
// row's); recovered, after the repair and restart the controller's clear and enable are taken and the
// bridge is on at every bridge command from recoveredByUs, without a fault.
import { SRV_SETTINGS, jdpack } from "jacdac-ts"
import type { ParamValues } from "../params.ts"
import type { Simulation } from "../simulation.ts"
import { blockedLoad } from "../plants/loads.ts"
import { JointBoard, PLANT_STEP_US } from "../hardware/joint-board.ts"
import { actuatorParams, jointSettings, sensorParams } from "./joint-common.ts"
import { JOINT_SETTING_KEY, encodeJointSettings } from "../../devs/joint/settings-schema.ts"
import { BOOT_MS, BROWN_OUT_OFF_MS } from "../vm/board-vm.ts"
import { enumName } from "../services.ts"
import { recordDrives, rowArming, type FaultTimes } from "./fault-rows.ts"

export const CORRUPTED_SETTINGS = {
    fault: "corrupted settings",
    expect: "InvalidSetting",
    safeState: "off",
}

const SETTINGS_CMD_SET = 0x81
/** the board restarts this long after the good record was sent (its write is done within milliseconds) */
const RESTART_AFTER_US = 50_000
const RESTART_GAP_US = (BROWN_OUT_OFF_MS + BOOT_MS) * 1000

/** `text`'s bytes with bit `bit` of byte `at` flipped (a bit flip in flash) */
export function flippedBit(text: string, at: number, bit: number): Uint8Array {
    const b = Buffer.from(text)
    b[at] ^= 1 << bit
    return b
}

/** the index of a digit of the first fraction among a settings record's values */
export const firstValueDigit = (text: string) => text.indexOf("0.", text.indexOf('"v"')) + 2

const faultName = (code: number) => enumName("boardfault", "Code", code)

export async function corruptedSettingsCase(sim: Simulation, p: ParamValues, name: string, t: FaultTimes) {
    const busName = `bus_${name}`
    const body = sim.segments.find(s => s.name === busName) ?? sim.addSegment(busName, true)
    const settings = { ...jointSettings(p), legSlot: 0 }
    const good = JSON.stringify(encodeJointSettings(name, settings))
    const b = await JointBoard.add(sim, {
        name,
        actuator: actuatorParams(p),
        sensors: sensorParams(p),
        settings,
        storedSetting: flippedBit(good, firstValueDigit(good), 0),
        body,
        load: blockedLoad,
    })
    await b.vm.prepareRestart()
    const c = b.client

    const drives = recordDrives(b)
    // the winding's true current before the repair, every plant step
    let maxABeforeRepair = 0
    sim.integrate({
        maxStepUs: PLANT_STEP_US,
        step: (_dtS, tUs) => {
            if (tUs < t.removeUs) maxABeforeRepair = Math.max(maxABeforeRepair, Math.abs(b.actuator.currentA))
        },
    })

    // the repair: the good record through the board's settings service, then a restart from flash
    let repairSentUs: number | undefined
    sim.clock.schedule(t.removeUs, () => {
        const service = body.bus.device(b.vm.deviceId, true)?.services({ serviceClass: SRV_SETTINGS })[0]
        if (!service) return // (not seen on the bus: the row's recovered says so)
        repairSentUs = sim.clock.nowUs
        void service.sendCmdAsync(SETTINGS_CMD_SET, jdpack<[string, Uint8Array]>("z b", [JOINT_SETTING_KEY, new TextEncoder().encode(good)]))
        sim.clock.after(RESTART_AFTER_US, () => b.vm.restart(RESTART_GAP_US))
    })

    const faulted = () => !c.telemetry || c.telemetry.fault !== 0
    const arming = rowArming(
        c,
        t,
        () => !faulted() && !!c.token,
        () => {
            if (faulted()) c.clearFault()
            c.enable()
        }
    )
    const tick = () => {
        if (arming(sim.clock.nowUs)) c.current(5)
    }
    sim.clock.every(t.commandPeriodUs, tick)

    return {
        board: b,
        drives,
        row: () => {
            const before = (tUs: number) => tUs < t.removeUs
            // what it reported before the repair: its fault events and its telemetry's fault code
            const reported = [
                ...new Set([...c.faults.filter(f => before(f.tUs)).map(f => f.name), ...c.telemetryLog.filter(x => before(x.tUs) && x.fault !== 0).map(x => faultName(x.fault))]),
            ]
            const detected = reported.includes(CORRUPTED_SETTINGS.expect)
            const onBefore = drives.filter(([tUs, on]) => on && before(tUs)).length
            // (a board that latched InvalidSetting at its start never runs its loop: no bridge command at all)
            const off = onBefore === 0 && maxABeforeRepair === 0
            const after = drives.filter(([tUs]) => tUs >= t.recoveredByUs)
            const tel = c.telemetry
            const recovered = repairSentUs !== undefined && after.length > 0 && after.every(([, on]) => on) && tel?.fault === 0
            return {
                fault: CORRUPTED_SETTINGS.fault,
                detected,
                reported,
                reactionMs: off ? 0 : null,
                safeState: off ? CORRUPTED_SETTINGS.safeState : null,
                staysSafe: off,
                recovered,
                passed: detected && off && recovered,
                measured: {
                    bridgeOnBeforeRepair: onBefore,
                    maxCurrentBeforeRepairA: maxABeforeRepair,
                    bridgeCommandsBeforeRepair: drives.filter(([tUs]) => before(tUs)).length,
                    restarts: b.vm.restarts.length,
                    bridgeOnAfterRecoveredBy: after.filter(([, on]) => on).length,
                    bridgeCommandsAfterRecoveredBy: after.length,
                },
            }
        },
    }
}
