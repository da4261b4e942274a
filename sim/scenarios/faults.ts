// faults: every fault case of design/targets.md at once, one joint board per case on its own bus.
// Each board is armed and driven; at INJECT_AT the case's fault is injected; the row reports whether
// the firmware reported the expected fault code, how long it took from the fault becoming visible
// to the board's input to its safe state, which safe state it chose, that it stayed there while
// still commanded, and that it came back after the cause was removed and the body controller
// cleared the fault and re-armed it. Each bus carries the body controller's leg setpoint frame
// (services/legsetpoints.md), the joint in slot 0: a position hold is its setpoint there, a current
// a command of its own, each with the session token the joint's enable gave; so a joint that loses its
// commands still hears its bus, and one whose bus is cut hears nothing. The last row, a second
// controller on a joint's bus, has a file of its own (faults-second-controller.ts), as have garbage
// frames on a holding joint's bus (faults-garbage.ts) and a joint whose stored settings record has a
// bit flipped, repaired as a deploy repairs it (faults-corrupted-settings.ts).
import type { ParamValues } from "../params.ts"
import type { Simulation } from "../simulation.ts"
import { blockedLoad, linkLoad } from "../plants/loads.ts"
import type { JointBoard } from "../hardware/joint-board.ts"
import type { JointLoad } from "../plants/loads.ts"
import type { SensorFault } from "../plants/actuator-sensors.ts"
import { JOINT_PARAMS } from "./joint-common.ts"
import { jointFaults } from "./joint-metrics.ts"
import { round } from "../numbers.ts"
import { BOOT_MS, BROWN_OUT_OFF_MS } from "../vm/board-vm.ts"
import { enumName } from "../services.ts"
import { JOINT_MODE } from "../clients/joint-client.ts"
import type { Scenario, ScenarioRun } from "./scenario.ts"
import type { Metrics } from "../result.ts"
import { faultsReport } from "../report/faults-report.ts"
import type { LegSetpointsHost, ImpedanceSetpoint } from "../clients/leg-setpoints.ts"
import { SECOND_CONTROLLER, reactionLimitMs as secondReactionLimitMs, secondControllerCase } from "./faults-second-controller.ts"
import { drivingFrom, rowJoint, type Drives, type FaultTimes } from "./fault-rows.ts"
import { GARBAGE_FRAMES, garbageFramesCase } from "./faults-garbage.ts"
import { Verdict } from "./verdict.ts"
import { CORRUPTED_SETTINGS, corruptedSettingsCase } from "./faults-corrupted-settings.ts"

const INJECT_AT_US = 1_400_000
const REMOVE_AT_US = 3_300_000 // the cause goes away (a hot winding needs time to show through the NTC's lag)
const CLEAR_AT_US = 3_500_000 // the body controller clears and re-arms
/**
 * From here on every row's joint must drive again. The latest back is the corrupted-settings row's:
 * repaired at REMOVE_AT, it restarts 50 ms later and boots by 3.68 s, its manager starts its program
 * STORED_PROGRAM_START_MS after (4.84 s), and the body controller's next clear and enable have it
 * driving at 5.10 s (measured).
 */
const RECOVERED_BY_US = 5_200_000
/** telemetry comes every 40 ms: the body controller retries clearing and arming this often */
const RECOVERY_RETRY_US = 100_000
const COMMAND_PERIOD_US = 10_000
/** the position hold the "hold" cases command */
const HOLD: ImpedanceSetpoint = { posRad: 0.5, velRadS: 0, kpNmRad: 100, kdNmsRad: 5, ffNm: 0 }

interface FaultCase {
    fault: string
    /** the fault code the firmware should report */
    expect: string
    safeState: "off" | "damping"
    /** bound on the reaction, in control periods (design/targets.md: 2, plus any detection window) */
    boundPeriods: number
    load?: JointLoad
    settings?: Record<string, number>
    /** what the body controller commands: a current (blocked output) or a position hold (link) */
    command: "current" | "hold"
    inject(b: JointBoard, sim: Simulation): void
    remove(b: JointBoard, sim: Simulation): void
    /** the fault is visible in the board's input from the first sample for which this is true */
    visible?(b: JointBoard): boolean
    /** the body controller stops commanding at the injection */
    stopCommands?: boolean
    /** the cause cannot be removed in the run (new settings need a deploy) */
    notRecoverable?: boolean
    /** made ready before the run (a restart's new VM instance) */
    prepare?(b: JointBoard): Promise<void>
}

/** a brown-out restart's gap: supply under the threshold, then the chip's boot (robot-walk's inject.offMs + inject.bootMs) */
const RESTART_GAP_US = (BROWN_OUT_OFF_MS + BOOT_MS) * 1000

const sensorFault = (fault: SensorFault) => ({
    inject: (b: JointBoard) => (b.sensors.fault = fault),
    remove: (b: JointBoard) => (b.sensors.fault = "none"),
})

const gravityLink = linkLoad({ massKg: 5, leverM: 0.3, gravity: true })

const CASES: FaultCase[] = [
    { fault: "over-current", expect: "OverCurrent", safeState: "off", boundPeriods: 2, command: "current", ...sensorFault("current-spike") },
    { fault: "current sensor silent", expect: "CurrentSensorSilent", safeState: "off", boundPeriods: 2, command: "current", ...sensorFault("current-silent") },
    { fault: "current sensor stuck", expect: "CurrentSensorStuck", safeState: "off", boundPeriods: 52, command: "current", ...sensorFault("current-stuck") },
    { fault: "angle sensor silent", expect: "AngleSensorSilent", safeState: "off", boundPeriods: 2, command: "current", ...sensorFault("angle-silent") },
    { fault: "encoder jump", expect: "EncoderJump", safeState: "off", boundPeriods: 2, command: "current", ...sensorFault("encoder-jump") },
    {
        fault: "over-temperature",
        expect: "OverTemperature",
        safeState: "off",
        boundPeriods: 2,
        command: "current",
        inject: b => (b.actuator.windingC = 200), // cooling lost: the NTC shows it through its 2 s lag
        remove: b => (b.actuator.windingC = 30),
        visible: b => (b.lastSample?.windingNtcC ?? 0) >= b.opts.settings.tripC,
    },
    {
        fault: "command watchdog",
        expect: "CommandWatchdog",
        safeState: "damping",
        boundPeriods: 2, // from the watchdog's expiry
        load: gravityLink,
        command: "hold",
        stopCommands: true,
        inject: () => {},
        remove: () => {},
    },
    {
        fault: "bus loss",
        expect: "BusLoss",
        safeState: "damping",
        boundPeriods: 2, // from the watchdog's expiry
        load: gravityLink,
        command: "hold",
        inject: b => b.opts.body.setCut(b.vm, true),
        remove: b => b.opts.body.setCut(b.vm, false),
    },
    {
        // the bridge goes off with the board's power; the row's reaction runs from the restarted
        // program's first bridge command, which must leave it off (and it must stay off, commanded,
        // until cleared and enabled)
        fault: "brown-out restart",
        expect: "BrownOutRestart",
        safeState: "off",
        boundPeriods: 0,
        command: "current",
        prepare: b => b.vm.prepareRestart(),
        inject: b => b.vm.restart(RESTART_GAP_US),
        remove: () => {},
    },
    {
        fault: "invalid setting",
        expect: "InvalidSetting",
        safeState: "off",
        boundPeriods: 0,
        command: "current",
        settings: { rOhm: -1 },
        notRecoverable: true, // needs new settings: a deploy
        inject: () => {},
        remove: () => {},
    },
]

interface Row {
    fault: string
    detected: boolean
    reported: string[]
    reactionMs: number | null
    safeState: string | null
    staysSafe: boolean
    recovered: boolean
    passed: boolean
    /** the figures a row's judgement rests on, where they are not the ones above */
    measured?: Record<string, number | null>
}

async function setup(sim: Simulation, p: ParamValues): Promise<ScenarioRun> {
    const runs: {
        c: FaultCase
        b: JointBoard
        legFrame: LegSetpointsHost
        visibleUs?: number
        safeUs?: number
        offUs?: number
        lastCommandUs: number
        drives: Drives
    }[] = []
    for (const [i, c] of CASES.entries()) {
        const name = `case${i}_${c.expect}`
        const { board: b, legFrame, drives } = await rowJoint(sim, p, name, c.load ?? blockedLoad, 0, c.settings)
        await c.prepare?.(b)
        runs.push({ c, b, legFrame, lastCommandUs: 0, drives })
    }
    const times: FaultTimes = {
        injectUs: INJECT_AT_US,
        removeUs: REMOVE_AT_US,
        clearUs: CLEAR_AT_US,
        recoveredByUs: RECOVERED_BY_US,
        commandPeriodUs: COMMAND_PERIOD_US,
        retryUs: RECOVERY_RETRY_US,
    }
    const second = await secondControllerCase(sim, p, `case${CASES.length}_SecondController`, times)
    const garbage = await garbageFramesCase(sim, p, GARBAGE_BOARD, times)
    const corrupted = await corruptedSettingsCase(sim, p, `case${CASES.length + 2}_CorruptedSettings`, times)

    for (const r of runs) {
        const { c, b, legFrame } = r
        let armed = false
        let lastRecoveryUs = -Infinity
        const tick = () => {
            const t = sim.clock.nowUs
            if (!b.client.tryConnect()) return
            if (!armed) {
                b.client.enable()
                armed = true
            }
            // from CLEAR_AT on, the body controller clears and re-arms until the joint is back and its
            // enable's reply has brought a token (a joint refuses to clear while its winding is still hot)
            const tel = b.client.telemetry
            if (t >= CLEAR_AT_US && t - lastRecoveryUs >= RECOVERY_RETRY_US && (!tel || tel.fault !== 0 || !b.client.token)) {
                lastRecoveryUs = t
                if (!tel || tel.fault !== 0) b.client.clearFault()
                b.client.enable()
            }
            const paused = c.stopCommands && t >= INJECT_AT_US && t < CLEAR_AT_US
            const token = b.client.token
            legFrame.send([!paused && c.command === "hold" && token ? { ...HOLD, token } : undefined])
            if (paused) return
            if (t < INJECT_AT_US) r.lastCommandUs = t
            if (c.command === "current") b.client.current(5)
        }
        sim.clock.every(COMMAND_PERIOD_US, tick)
        sim.clock.schedule(INJECT_AT_US, () => c.inject(b, sim))
        sim.clock.schedule(REMOVE_AT_US, () => c.remove(b, sim))
        const trace = sim.trace.topic(`${b.name}/bridge`, ["currentA", "voltageV", "bridgeOnBool", "windingC"])
        b.onDrive(t => {
            sim.trace.record(trace, t, [b.actuator.currentA, b.voltageV, b.bridgeOn ? 1 : 0, b.actuator.windingC])
            if (t < INJECT_AT_US || r.safeUs !== undefined) return
            if (r.visibleUs === undefined) {
                // without commands the fault shows once the watchdog time has passed since the last one
                const watchdogUs = b.opts.settings.watchdogMs * 1000
                const visible = c.visible ? c.visible(b) : c.stopCommands || c.fault === "bus loss" ? t >= r.lastCommandUs + watchdogUs : true
                if (visible) r.visibleUs = t
            }
            if (r.visibleUs !== undefined && !b.bridgeOn) {
                r.offUs ??= t
                if (c.safeState === "off") r.safeUs = t
            }
        })
    }

    return {
        metrics: () => {
            const rows: Row[] = runs.map(r => {
                const { c, b } = r
                const periodUs = 1e6 / b.opts.settings.loopHz
                const reported = [...new Set([...b.client.faults.map(f => f.name), ...faultFromTelemetry(b)])]
                const detected = reported.includes(c.expect)
                const tel = b.client.telemetryLog
                // damping is seen from the bridge: it stays on for the configured damping time after the
                // fault, then goes off; so damping began dampMs before the bridge went off
                if (c.safeState === "damping" && r.visibleUs !== undefined && r.offUs !== undefined) {
                    const dampUs = b.opts.settings.dampMs * 1000
                    const began = r.offUs - dampUs
                    const sawDamping = tel.some(x => x.tUs >= r.visibleUs! && x.tUs < r.offUs! && x.mode === JOINT_MODE.damping)
                    if (began >= r.visibleUs - 2 * periodUs && (sawDamping || c.fault === "bus loss")) r.safeUs = Math.max(began, r.visibleUs)
                }
                const safeState = c.safeState === "damping" ? (r.safeUs !== undefined ? "damping" : null) : r.safeUs !== undefined || c.settings ? "off" : null
                const reactionMs = c.settings ? 0 : r.safeUs !== undefined && r.visibleUs !== undefined ? round((r.safeUs - r.visibleUs) / 1000, 3) : null
                // once safe (and after any damping time) the bridge stays off while commands go on
                const quietFromUs = (r.safeUs ?? INJECT_AT_US) + (c.safeState === "damping" ? b.opts.settings.dampMs * 1000 : 0) + 2 * periodUs
                const staysSafe = (r.safeUs !== undefined || !!c.settings) && !r.drives.some(([t, on]) => on && t > quietFromUs && t < CLEAR_AT_US)
                const recovered = drivingFrom(r.drives, RECOVERED_BY_US)
                const passed =
                    detected &&
                    safeState === c.safeState &&
                    (reactionMs ?? Infinity) <= reactionLimitMs(c, b) &&
                    staysSafe &&
                    (recovered || !!c.notRecoverable)
                return { fault: c.fault, detected, reported, reactionMs, safeState, staysSafe, recovered, passed }
            })
            rows.push(second.row(), garbage.row(), corrupted.row())
            return { rows, cases: rows.length, passed: rows.filter(r => r.passed).length }
        },
        faults: () => [...runs.flatMap(r => jointFaults(r.b)), ...[second, garbage, corrupted].flatMap(x => jointFaults(x.board))],
        report: result =>
            faultsReport({
                cases: [
                    ...runs.map(({ c, b, drives }) => ({
                        fault: c.fault,
                        expect: c.expect,
                        safeState: c.safeState,
                        limitMs: reactionLimitMs(c, b),
                        drives,
                    })),
                    { ...SECOND_CONTROLLER, limitMs: secondReactionLimitMs(second.board), drives: second.drives },
                    { ...GARBAGE_FRAMES, limitMs: null, drives: garbage.drives },
                    // (latched before any bridge command: a bound of 0 periods, as the invalid setting case)
                    { ...CORRUPTED_SETTINGS, limitMs: reactionLimitMs({ boundPeriods: 0 }, corrupted.board), drives: corrupted.drives },
                ],
                rows: (result.metrics as { rows: Row[] }).rows,
                markers: [
                    { x: INJECT_AT_US / 1e6, label: "injected" },
                    { x: REMOVE_AT_US / 1e6, label: "cause removed" },
                    { x: CLEAR_AT_US / 1e6, label: "cleared, re-armed" },
                ],
                endUs: sim.clock.nowUs,
            }),
    }
}

/** the joint the garbage case floods: busy with the flood by design, its row judges what it must keep */
const GARBAGE_BOARD = `case${CASES.length + 1}_GarbageFrames`

/** the longest reaction a case passes with: its bound in control periods (and 10 µs for rounding) */
const reactionLimitMs = (c: Pick<FaultCase, "boundPeriods">, b: JointBoard) => (c.boundPeriods * 1000) / b.opts.settings.loopHz + 0.01

function faultFromTelemetry(b: JointBoard): string[] {
    return b.client.telemetryLog.filter(t => t.fault !== 0).map(t => faultName(t.fault))
}

const faultName = (code: number) => enumName("boardfault", "Code", code)

export const faults: Scenario = {
    name: "faults",
    description: "every fault case on its own joint board: detected, reaction, safe state, recovery",
    defaultDurationS: 5.4,
    params: JOINT_PARAMS,
    setup,
    failedChecks: r => {
        const v = new Verdict()
        const cases = failedCases(r.metrics)
        if (cases) v.fail(cases)
        // a joint whose loop misses its periods (a rate the runtime's tick cannot wake it for, a chip too
        // slow for it) fails its cases for that reason: say so beside them, in one line (every case has
        // its own joint; the flooded one's row says what it must keep)
        v.missedPeriods(r.cpu.filter(c => c.board !== GARBAGE_BOARD), "joints")
        return v.result()
    },
}

/** the cases that did not pass, by name (design/targets.md: every fault reaches its safe state in time) */
export function failedCases(metrics: Metrics): string | undefined {
    const rows = metrics.rows as { fault: string; passed: boolean }[] | undefined
    const failed = (rows ?? []).filter(r => !r.passed).map(r => r.fault)
    return failed.length ? `${failed.length} of ${rows!.length} fault cases did not pass: ${failed.join(", ")}` : undefined
}
