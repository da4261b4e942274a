// Joint actuator board: reads its settings, then runs the control loop at the configured rate and
// serves the body controller (services/jointactuator.md, services/boardfault.md).
import * as ds from "@devicescript/core"
import { startServer } from "@devicescript/server"
import { readSettingRecord } from "../lib/setting-record"
import { firstInvalidSetting, toConfig } from "./config"
import { Capture } from "./capture"
import { JointController } from "./controller"
import { startJointHardware } from "./hardware"
import { SimulatedPowerStage, type PowerStage } from "./power-stage"
import { BoardFaultServer, JointActuatorServer, routeCommands } from "./servers"
import { followLegSetpoints } from "./leg-setpoints"
import {
    JOINT_SETTINGS,
    JOINT_SETTING_KEY,
    CURRENT_LOOP_CHIP,
    decodeJointSettings,
} from "./settings-schema"
import { millis, sleep, suspend } from "../lib/runtime"

/** the loop's first wakes, in which a late one moves its grid (onto the runtime's tick) */
const SETTLING_WAKES = 8

async function main() {
    const record = await readSettingRecord(JOINT_SETTING_KEY)
    const values = decodeJointSettings(record.value)
    // the record as a whole first (missing, damaged, its id), then each value
    const bad = record.detail >= 0 ? record.detail : firstInvalidSetting(values)
    // with a bad setting the joint never drives (no loop runs): it reports which one and waits to be
    // re-provisioned, its registers showing the values it was given
    const cfg = toConfig(values)
    // the first session's token, at random: a controller's token from before a restart is then
    // unlikely to match (services/jointactuator.md: not a secret, there is no authentication)
    const ctl = new JointController(cfg, 1 + Math.floor(Math.random() * 65535))
    if (bad >= 0) ctl.raise(ds.BoardFaultCode.InvalidSetting, bad)
    const jointId = record.id !== null ? record.id : "unprovisioned"

    const capture = new Capture()
    const actuator = new JointActuatorServer(ctl, capture, jointId)
    const faults = new BoardFaultServer(ctl)
    startServer(actuator)
    startServer(faults)
    routeCommands(actuator, faults)
    if (bad >= 0) {
        await faults.announceFault()
        console.log(`invalid setting: ${record.detail >= 0 ? record.problem : JOINT_SETTINGS[bad].key}`)
        return
    }

    // on a board the drivers start the chips (devs/joint/hardware.ts); in the simulator the plant
    // answers through the hardware twin
    let stage: PowerStage
    try {
        stage = ds.isSimulator()
            ? new SimulatedPowerStage(cfg.encZeroRad, cfg.encDir, cfg.currentLoop === CURRENT_LOOP_CHIP)
            : await startJointHardware(cfg)
    } catch (e) {
        ctl.raise(ds.BoardFaultCode.HardwareStart, 0)
        await faults.announceFault()
        console.log((e as Error).message)
        return
    }
    if (cfg.legSlot >= 0) followLegSetpoints(cfg.legSlot, ctl, actuator)
    const periodMs = Math.round(1000 / cfg.loopHz)
    // Each period the timer starts a conversion and the sample runs the controller, as a
    // conversion-complete interrupt would. A conversion that never completes is a missing sample:
    // the next period feeds the controller a sample with nothing in it, and it trips.
    let answered = true
    /** the last period's sample went unanswered and was asked for again */
    let askedAgain = false
    let lastSampleUs = 0
    /**
     * the chip's current loop is still to be set up (setting currentLoop 1). A local, so the sample
     * handler reads the controller's chipLoop only until then: with the firmware's own loop that
     * field is never set, and a read of a field an object lacks compares its name with every field
     * the controller has (objects.c `lookup`): 34 compares, about 11,000 counted WebAssembly instructions
     * a sample (measured in a bench thermal hold).
     */
    let chipSetupPending = cfg.currentLoop === CURRENT_LOOP_CHIP
    stage.onSample(async s => {
        answered = true
        lastSampleUs = s.timestampUs
        // (the capture's state read once: its methods are calls, and this runs every sample)
        const capturing = capture.state === ds.JointActuatorCaptureState.Running
        const generating = capturing && capture.generating()
        // (the excitation drives within the session that started it: its token)
        if (generating && JointController.current(ctl, ctl.token, capture.referenceA()) !== 0) capture.abort()
        const cmd = JointController.step(ctl, s)
        // the chip's current loop, designed once the current offset and the bus voltage are known
        if (chipSetupPending && ctl.chipLoop) {
            chipSetupPending = false
            await stage.configureChip(ctl.chipLoop)
        }
        await stage.drive(cmd)
        if (capturing && capture.running()) {
            if (generating && ctl.mode !== ds.JointActuatorMode.Current) capture.abort()
            const v = cmd.bridgeOn ? cmd.voltageV : 0
            capture.record(ctl.periodUs, ctl.currentRefA, ctl.currentA, v, ctl.angleRad, ctl.velocityRadS, s.windingNtcC)
            // the excitation is over: hold its offset, the host's watchdog runs from now
            if (generating && capture.done()) JointController.current(ctl, ctl.token, capture.holdA())
        }
        if (ctl.fault.fresh && ctl.fault.takeFresh()) await faults.announceFault()
        // a sample that missed a value: read again now to confirm a silent sensor, not a period later
        if (ctl.resampleNow) {
            ctl.resampleNow = false
            await stage.requestSample()
        }
    })
    // Telemetry every telemetryMs goes out from its own fiber, woken by the loop when due: a send may
    // wait for the runtime's send budget, which must not hold up the loop; and setInterval's timer
    // list, with a new fiber every interval, cost more per period.
    let telemetryDueMs = millis()
    const telemetry = (async () => {
        while (true) {
            await suspend()
            await actuator.sendTelemetry()
        }
    }).start()
    const missing = { timestampUs: 0, currentA: NaN, angleRad: NaN, windingNtcC: NaN, busV: NaN }
    const tick = async (late: boolean) => {
        const nowMs = millis()
        if (nowMs >= telemetryDueMs) {
            telemetryDueMs += cfg.telemetryMs
            if (telemetryDueMs <= nowMs) telemetryDueMs = nowMs + cfg.telemetryMs
            // (a report still waiting for the send budget: this one is skipped)
            if (telemetry.suspended) telemetry.resume(null)
        }
        if (!answered) {
            // the loop itself woke late (the board was busy with a long run): the answer may be waiting
            // in the receive queue, not lost; wait for it rather than call the sensor silent
            if (late) return
            // On time, but inside a run that began before the answer came (the board handles what it
            // received when a run ends): the first unanswered period asks again and counts nothing.
            // (At 200 Hz on a 1 ms tick the 10 ms run of the arming, enable's reply and a collection,
            // made two such periods and latched CurrentSensorSilent.)
            if (!askedAgain) {
                askedAgain = true
                await stage.requestSample()
                return
            }
            lastSampleUs += periodMs * 1000
            missing.timestampUs = lastSampleUs
            await stage.drive(JointController.step(ctl, missing))
            if (ctl.fault.takeFresh()) await faults.announceFault()
        }
        answered = false
        askedAgain = false
        await stage.requestSample()
    }
    // A loop fiber on the runtime's own sleep keeps the period's schedule like setInterval, for less
    // work per period than setInterval's timer list and a new fiber every tick. The runtime wakes it
    // only at its tick (10 ms on the stock ESP32 runtime) or an event, so a grid falling just after
    // each tick wakes late every period (one started from flash by its manager was left there by its
    // start-up, and lost about a period in four): a late wake among the first few moves the grid to
    // it. (Later, a late wake is a long run's: the grid stays.)
    const loop = async () => {
        let nextMs = millis()
        let settlingWakes = SETTLING_WAKES
        while (true) {
            nextMs += periodMs
            let waitMs = nextMs - millis()
            if (waitMs <= 0) {
                // woke a whole period late: this period is lost (an overrun), keep the grid
                nextMs += periodMs * Math.ceil(1 - waitMs / periodMs)
                waitMs = nextMs - millis()
            }
            await sleep(waitMs)
            const late = millis() - nextMs > periodMs / 2
            if (settlingWakes > 0) {
                settlingWakes--
                if (late) nextMs = millis()
            }
            await tick(late)
        }
    }
    loop.start()

    // after a brown-out the board comes back disabled, and says why; asked once the loop runs, so the
    // question does not move the loop's phase against the runtime's tick, and answered before the
    // first telemetry says anything of the joint
    if (await stage.startedByBrownOut()) {
        ctl.raise(ds.BoardFaultCode.BrownOutRestart, 0)
        ctl.fault.takeFresh()
        await faults.announceFault()
    }

    console.log(`joint ${jointId} running at ${cfg.loopHz} Hz`)
}

await main()
