// One joint board in the simulator: the actuator plant and its sensors, the board's hardware link,
// its flash provisioned with the joint's settings, its VM running the joint bytecode on its local
// segment and on the body bus, and a body-controller client for it.
import { readBytecode, chipOf } from "../firmware.ts"
import type { BusSegment } from "../bus/segment.ts"
import { JointClient } from "../clients/joint-client.ts"
import { Actuator, type ActuatorInputs, type ActuatorParams } from "../plants/actuator.ts"
import { ActuatorSensors, type ActuatorSample, type SensorParams } from "../plants/actuator-sensors.ts"
import { deviceIdFor, type Simulation } from "../simulation.ts"
import { provisionFlash } from "../vm/provision.ts"
import { serverDeviceIdOf, type BoardVm } from "../vm/board-vm.ts"
import { SampledLink } from "./sampled-link.ts"
import type { SpiTransfer } from "../vm/target-model.ts"
import { JOINT_SETTING_KEY, encodeJointSettings, type JointSettings } from "../../devs/joint/settings-schema.ts"
import { AMPS_PER_IQ_COUNT, PWM_HZ, SPI_HZ } from "../../devs/joint/board-constants.ts"
import { Tmc4671CurrentLoop } from "../plants/tmc4671.ts"
import type { JointLoad } from "../plants/loads.ts"

/**
 * Plant integration step (design/plant.md: 50 us or less): one PWM period of the motor controller chip
 * (20 kHz), whose own current loop runs once a period. The electrical and thermal equations are
 * integrated exactly over a step; the mechanics' fastest time constant is far longer.
 */
export const PLANT_STEP_US = 1e6 / PWM_HZ

/**
 * What the board's hardware path (devs/joint/hardware-power-stage.ts, SPI at 1 MHz: devs/joint/hardware.ts)
 * moves for a sample: the TMC4671's Iq (a 5-byte register read) and the AS5047P's angle (two 2-byte
 * frames); and for a bridge command: one 5-byte TMC4671 register write.
 */
const SAMPLE_TRANSFER: SpiTransfer = { bytes: 9, clockHz: SPI_HZ }
const DRIVE_TRANSFER: SpiTransfer = { bytes: 5, clockHz: SPI_HZ }
/** the chip's current loop set-up: ten 5-byte register writes (drivers/tmc4671.ts setupTorqueLoop) */
const CHIP_SETUP_TRANSFER: SpiTransfer = { bytes: 50, clockHz: SPI_HZ }
const U32_SPAN = 2 ** 32
/** the stage's reset_reason register (services/jointpowerstage.md): the board's restarts are brown-outs */
const REG_RESET_REASON = 0x180
const RESET_POWER_ON = 0
const RESET_BROWN_OUT = 1

/** true when a step ending at `endUs` ends on the plant's grid (for evenly spaced samples) */
export const onPlantGrid = (endUs: number) => endUs % PLANT_STEP_US === 0

export interface JointBoardOptions {
    /** the joint id, e.g. "left_knee"; also the board's name */
    name: string
    actuator: ActuatorParams
    sensors: SensorParams
    /** the firmware's settings (devs/joint/settings-schema.ts) */
    settings: JointSettings
    /** power up with no settings in flash (a board fresh from the factory); `settings` unused */
    unprovisioned?: boolean
    /** the bytes stored as the joint's setting instead of `settings` encoded (a damaged flash) */
    storedSetting?: Uint8Array
    body: BusSegment
    load: JointLoad
    initialAngleRad?: number
}

export class JointBoard {
    readonly actuator: Actuator
    readonly sensors: ActuatorSensors
    readonly client: JointClient
    vm!: BoardVm
    /** the torque-axis voltage on the winding: the firmware's (voltage mode) or the chip loop's */
    voltageV = 0
    bridgeOn = false
    /** the motor controller chip's own current loop (torque mode: setting currentLoop 1) */
    readonly chip = new Tmc4671CurrentLoop(AMPS_PER_IQ_COUNT)
    /** time of every bridge command (the firmware's loop as the hardware sees it), unless `keepHistory` is off */
    readonly driveTimesUs: number[] = []
    /** the last sample the board's hardware gave it */
    lastSample: ActuatorSample | undefined
    private onDriveHooks: ((tUs: number) => void)[] = []
    /** steps this board's plant up to now: before its hardware reads or drives it (Simulation.integrate) */
    private catchUp = () => {}

    private constructor(
        private sim: Simulation,
        readonly opts: JointBoardOptions
    ) {
        this.actuator = new Actuator(opts.actuator)
        this.actuator.angleRad = opts.initialAngleRad ?? 0
        this.sensors = new ActuatorSensors(opts.sensors, this.actuator, sim.random.fork(`${opts.name}/sensors`))
        this.client = new JointClient(opts.body.bus, sim.clock, serverDeviceIdOf(deviceIdFor(opts.name)))
    }

    static async add(sim: Simulation, opts: JointBoardOptions): Promise<JointBoard> {
        const board = new JointBoard(sim, opts)
        await board.start()
        return board
    }

    get name() {
        return this.opts.name
    }

    /** called after every bridge command */
    onDrive(hook: (tUs: number) => void) {
        this.onDriveHooks.push(hook)
    }

    private async start() {
        const { sim, opts } = this
        const bytecode = readBytecode("joint")
        const deviceId = deviceIdFor(opts.name)
        const flash = !opts.unprovisioned
            ? await provisionFlash(deviceId, bytecode, { [JOINT_SETTING_KEY]: opts.storedSetting ?? encodeJointSettings(opts.name, opts.settings) })
            : undefined
        const local = sim.addSegment(`${opts.name}/local`, false)
        let seq = 0
        const link = new SampledLink({
            board: opts.name,
            segment: local,
            service: "jointpowerstage",
            topicPrefix: "jps",
            transfer: SAMPLE_TRANSFER,
            sample: stampUs => {
                this.catchUp()
                const s = this.sensors.sample(sim.clock.nowUs)
                s.timestampUs = stampUs % U32_SPAN
                this.lastSample = s
                seq = (seq + 1) & 0xffff
                return [s.timestampUs, s.currentA, s.encoderRad, s.windingNtcC, s.busV, seq]
            },
        })
        const a = this.actuator
        const load = opts.load
        const chip = this.chip
        // one inputs record, refilled every step (20,000 a second per joint)
        const inputs: ActuatorInputs = { voltageV: 0, bridgeOn: false, blocked: false, loadInertiaKgM2: 0, loadTorqueNm: 0 }
        this.catchUp = sim.integrate({
            maxStepUs: PLANT_STEP_US,
            step: (dtS, endUs) => {
                inputs.voltageV = this.voltageV
                inputs.bridgeOn = this.bridgeOn
                inputs.blocked = load.blocked
                inputs.loadInertiaKgM2 = load.inertiaKgM2
                inputs.loadTorqueNm = load.blocked ? 0 : load.torqueNm(a.angleRad, a.velocityRadS, endUs / 1e6)
                a.step(dtS, inputs)
                // at the end of each PWM period the chip computes the next one's voltage from the
                // current its ADC senses (the same offset as the firmware's reading)
                if (chip.torqueMode && this.bridgeOn && onPlantGrid(endUs))
                    this.voltageV = chip.update(a.currentA + this.sensors.currentOffsetA, a.p.busV)
            },
        })
        this.vm = await sim.addBoard({
            name: opts.name,
            chip: chipOf("joint"),
            bytecode,
            flash,
            segments: [local, opts.body],
            local,
            localDevices: [link.deviceId],
            onTwin: (topic, data) => {
                if (link.handleTwin(topic)) return
                if (topic === "jps/drive") this.drive(data)
                if (topic === "jps/chip") this.configureChip(data)
            },
        })
        link.vm = this.vm
        const resetReason = link.server.addRegister(REG_RESET_REASON, [RESET_POWER_ON])
        this.vm.onPowerUp(() => resetReason.setValues([RESET_BROWN_OUT]))
        // a brown-out takes the board's chips down with it: the bridge off, the motor controller reset
        this.vm.onPowerLoss(() => {
            this.catchUp()
            this.bridgeOn = false
            this.voltageV = 0
            this.chip.powerLost()
        })
        // the loop's timing as the firmware itself measures it, from its telemetry
        const loop = sim.trace.topic(`${opts.name}/loop`, ["periodMeanUs", "periodP99DevUs", "overruns"])
        this.client.telemetryHooks.push(t => sim.trace.record(loop, t.tUs, [t.loopPeriodMeanUs, t.loopPeriodP99DevUs, t.overruns]))
        this.vm.cpu.declarePeriod(Math.round(1e6 / opts.settings.loopHz))
    }

    /**
     * a bridge command from the firmware (devs/joint/power-stage.ts: the voltage, or the chip loop's
     * current target): applied when its SPI write to the motor controller ends
     */
    private drive(data: Uint8Array) {
        const dv = new DataView(data.buffer, data.byteOffset, data.byteLength)
        const voltageV = dv.getFloat32(0, true)
        const bridgeOn = dv.getUint8(4) !== 0
        const torqueMode = dv.getUint8(5) !== 0
        const targetCounts = dv.getInt16(6, true)
        this.vm.spiTransfer(DRIVE_TRANSFER, () => {}, () => {
            this.catchUp()
            const chip = this.chip
            chip.torqueMode = torqueMode
            chip.targetCounts = targetCounts
            if (!bridgeOn) chip.reset()
            // in torque mode the chip sets the voltage from its next PWM period on
            if (!torqueMode || !bridgeOn) this.voltageV = voltageV
            this.bridgeOn = bridgeOn
            const t = this.sim.clock.nowUs
            if (this.client.keepHistory) this.driveTimesUs.push(t)
            for (const h of this.onDriveHooks) h(t)
        })
    }

    /** the chip's current loop set up by the firmware (devs/joint/power-stage.ts configureChip) */
    private configureChip(data: Uint8Array) {
        const dv = new DataView(data.buffer, data.byteOffset, data.byteLength)
        const regs = { p: dv.getUint16(0, true), i: dv.getUint16(2, true), torqueLimitCounts: dv.getUint16(4, true), uqLimitCounts: dv.getUint16(6, true) }
        this.vm.spiTransfer(CHIP_SETUP_TRANSFER, () => {}, () => {
            this.catchUp()
            this.chip.configure(regs)
        })
    }
}
