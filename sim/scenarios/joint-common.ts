// What the joint scenarios share: the actuator and sensor parameters (every figure of
// design/plant.md overridable with --param), the firmware settings derived from the actuator's
// reference figures, and the body-controller start-up (connect, arm).
import { num, choice, type ParamSpecs, type ParamValues } from "../params.ts"
import { UsageError } from "../errors.ts"
import { jointSettingValueProblems } from "../settings-problems.ts"
import { ACTUATORS, type ActuatorParams } from "../plants/actuator.ts"
import { SENSORS, type SensorParams } from "../plants/actuator-sensors.ts"
import type { Simulation } from "../simulation.ts"
import { JointBoard } from "../hardware/joint-board.ts"
import type { JointLoad } from "../plants/loads.ts"
import {
    CURRENT_LOOP_CHIP,
    CURRENT_LOOP_FIRMWARE,
    defaultJointSettings,
    type ActuatorSize,
    type JointSettings,
} from "../../devs/joint/settings-schema.ts"

const AUTO = NaN // "from the actuator size"

/** loop rates by where the current loop runs: the stock runtime's tick, and a 1 ms tick's */
const LOOP_HZ = { chip: 100, firmware: 1000 }

export const JOINT_PARAMS: ParamSpecs = {
    actuator: choice("large", ["large", "small"], "actuator size (design/plant.md)"),
    currentLoop: choice("chip", ["chip", "firmware"], "where the current loop runs (setting currentLoop): in the TMC4671 at its PWM rate, or in the firmware at loopHz (a runtime with a 1 ms tick)"),
    loopHz: num(AUTO, "Hz", 100, 1000, `the firmware's loop rate, set through its settings (auto: ${LOOP_HZ.chip} with currentLoop=chip, ${LOOP_HZ.firmware} with firmware)`, true),
    "act.ktNmPerA": num(AUTO, "N·m/A", 0.005, 1, "plant torque constant"),
    "act.resistanceOhm": num(AUTO, "Ω", 0.01, 10, "plant phase resistance"),
    "act.inductanceUh": num(AUTO, "µH", 5, 5000, "plant torque-axis inductance"),
    "act.rotorInertiaKgM2": num(AUTO, "kg·m²", 1e-6, 0.1, "plant rotor inertia"),
    "act.gearRatio": num(AUTO, "", 1, 200, "plant gear ratio"),
    "act.gearEfficiency": num(AUTO, "", 0.3, 1, "plant gear efficiency"),
    "act.coulombNm": num(AUTO, "N·m", 0, 20, "plant Coulomb friction at the output"),
    "act.viscousNmsPerRad": num(AUTO, "N·m·s/rad", 0, 5, "plant viscous friction at the output"),
    "act.thermalResistanceKPerW": num(AUTO, "K/W", 0.1, 20, "plant winding thermal resistance"),
    "act.thermalTimeConstantS": num(AUTO, "s", 1, 3600, "plant winding thermal time constant"),
    "act.ambientC": num(AUTO, "°C", -20, 60, "ambient temperature"),
    "act.busV": num(AUTO, "V", 12, 60, "bus voltage"),
    "sense.currentNoiseA": num(AUTO, "A", 0, 5, "current sense noise, standard deviation"),
    "sense.currentOffsetMaxA": num(AUTO, "A", 0, 5, "largest current sense offset at power-up"),
    "sense.ntcNoiseC": num(AUTO, "°C", 0, 10, "winding NTC noise, standard deviation"),
    "sense.ntcLagS": num(AUTO, "s", 0.01, 60, "winding NTC lag time constant"),
    "enc.zeroRad": num(0, "rad", 0, 6.2832, "output encoder's angle at joint 0 (the board's encZeroRad setting matches it)"),
    "enc.dir": choice("1", ["1", "-1"], "output encoder's direction (the board's encDir setting matches it)"),
}

/** plant parameters: the actuator size's figures with any --param act.* override */
export function actuatorParams(p: ParamValues): ActuatorParams {
    const base = ACTUATORS[p.actuator as ActuatorSize]
    const pick = (key: string, fallback: number) => (Number.isNaN(Number(p[key])) ? fallback : Number(p[key]))
    return {
        ktNmPerA: pick("act.ktNmPerA", base.ktNmPerA),
        resistanceOhm: pick("act.resistanceOhm", base.resistanceOhm),
        inductanceH: pick("act.inductanceUh", base.inductanceH * 1e6) * 1e-6,
        rotorInertiaKgM2: pick("act.rotorInertiaKgM2", base.rotorInertiaKgM2),
        gearRatio: pick("act.gearRatio", base.gearRatio),
        gearEfficiency: pick("act.gearEfficiency", base.gearEfficiency),
        coulombFrictionNm: pick("act.coulombNm", base.coulombFrictionNm),
        viscousFrictionNmsPerRad: pick("act.viscousNmsPerRad", base.viscousFrictionNmsPerRad),
        thermalResistanceKPerW: pick("act.thermalResistanceKPerW", base.thermalResistanceKPerW),
        thermalTimeConstantS: pick("act.thermalTimeConstantS", base.thermalTimeConstantS),
        ambientC: pick("act.ambientC", base.ambientC),
        busV: pick("act.busV", base.busV),
    }
}

export function sensorParams(p: ParamValues): SensorParams {
    const base = SENSORS[p.actuator as ActuatorSize]
    const pick = (key: string, fallback: number) => (Number.isNaN(Number(p[key])) ? fallback : Number(p[key]))
    return {
        currentRangeA: base.currentRangeA,
        currentNoiseA: pick("sense.currentNoiseA", base.currentNoiseA),
        currentOffsetMaxA: pick("sense.currentOffsetMaxA", base.currentOffsetMaxA),
        ntcNoiseC: pick("sense.ntcNoiseC", base.ntcNoiseC),
        ntcLagS: pick("sense.ntcLagS", base.ntcLagS),
        encoderZeroRad: pick("enc.zeroRad", base.encoderZeroRad),
        encoderDir: pick("enc.dir", base.encoderDir),
    }
}

/**
 * The firmware's settings: the reference figures of the actuator size (not the perturbed plant), and
 * the encoder's mounting as calibrated (the plant's). A UsageError, before anything runs, when the
 * parameters give settings the firmware refuses (`hfw settings --check` applies the same rules).
 */
export function jointSettings(p: ParamValues): JointSettings {
    const settings = settingsFromParams(p)
    const problems = jointSettingValueProblems(settings)
    if (problems.length)
        throw new UsageError(`the parameters give the joint firmware settings it refuses (at start-up it would latch InvalidSetting):\n${problems.map(x => "  " + x).join("\n")}`)
    return settings
}

function settingsFromParams(p: ParamValues): JointSettings {
    const s = sensorParams(p)
    const loop = p.currentLoop as keyof typeof LOOP_HZ
    return {
        ...defaultJointSettings(p.actuator as ActuatorSize),
        currentLoop: loop === "chip" ? CURRENT_LOOP_CHIP : CURRENT_LOOP_FIRMWARE,
        loopHz: loopHzOf(p),
        encZeroRad: s.encoderZeroRad,
        encDir: s.encoderDir,
    }
}

/** the joints' loop rate: --param loopHz, else the rate for where the current loop runs */
export function loopHzOf(p: ParamValues): number {
    return Number.isNaN(Number(p.loopHz)) ? LOOP_HZ[p.currentLoop as keyof typeof LOOP_HZ] : Number(p.loopHz)
}

/** A joint board on the bus segment `busName` (created, timed, if new); `settings` override the defaults. */
export async function addJoint(
    sim: Simulation,
    p: ParamValues,
    name: string,
    load: JointLoad,
    initialAngleRad = 0,
    busName = "body",
    settings: Record<string, number> = {}
) {
    const body = sim.segments.find(s => s.name === busName) ?? sim.addSegment(busName, true)
    return JointBoard.add(sim, {
        name,
        actuator: actuatorParams(p),
        sensors: sensorParams(p),
        settings: { ...jointSettings(p), ...settings },
        body,
        load,
        initialAngleRad,
    })
}

/**
 * Polls until the board's services are seen on the body bus (it announces every 500 ms), then arms
 * it. Calls `onArmed` once the enable's reply has brought the session's token (commands carry it).
 */
export function armWhenConnected(sim: Simulation, board: JointBoard, onArmed: (tUs: number) => void) {
    const c = board.client
    let armed = false
    c.enableReplyHooks.push(r => {
        if (armed || !c.token) return
        armed = true
        onArmed(r.tUs)
    })
    const poll = () => {
        if (!c.tryConnect()) {
            sim.clock.after(10_000, poll)
            return
        }
        c.enable()
    }
    sim.clock.after(10_000, poll)
}

/** Calls `fn` every `periodUs` from `startUs` on (the body controller's command rate). */
export function every(sim: Simulation, startUs: number, periodUs: number, fn: (tUs: number) => void) {
    const tick = () => {
        fn(sim.clock.nowUs)
        sim.clock.after(periodUs, tick)
    }
    sim.clock.schedule(startUs, tick)
}
