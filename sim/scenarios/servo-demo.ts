// servo-demo: the co-simulator end to end. Each board runs devs/demo (a 1 kHz PD position loop) in
// its own VM against its own gearmotor: the position comes in as a Jacdac potentiometer the board's
// hardware streams every sample period, the duty goes out through the hardware twin link, and a
// status register is written over Jacdac ten times a second.
import { JDServerServiceProvider, MotorServer, SensorServer, SRV_POTENTIOMETER } from "jacdac-ts"
import { readBytecode } from "../firmware.ts"
import { num } from "../params.ts"
import { Gearmotor } from "../plants/gearmotor.ts"
import { deviceIdFor, type Simulation } from "../simulation.ts"
import type { Scenario, ScenarioRun } from "./scenario.ts"
import { round } from "../numbers.ts"

/** the firmware's target position (devs/demo/main.ts) */
const TARGET_POSITION = 0.75
const SETTLE_BAND = 0.02

const params = {
    boards: num(1, "boards", 1, 32, "independent servo boards (one VM and one plant each)", true),
    "servo.maxSpeedPerS": num(4, "travel/s", 0.1, 100, "output speed at full duty"),
    "servo.timeConstantMs": num(20, "ms", 0.1, 1000, "mechanical time constant"),
    "servo.initialPosition": num(0.2, "travel", 0, 1, "output position at start"),
    "servo.noise": num(0.001, "travel", 0, 0.1, "potentiometer noise, standard deviation"),
    "servo.samplePeriodMs": num(1, "ms", 0.1, 100, "period at which the hardware streams the position"),
}

interface ServoBoard {
    name: string
    plant: Gearmotor
    duty: number
    dutyTimesUs: number[]
    settledAtUs: number | undefined
    firstDutyUs: number | undefined
    statusWrites: number
}

async function setup(sim: Simulation, p: Record<string, number | string>): Promise<ScenarioRun> {
    const bytecode = readBytecode("demo")
    const boards: ServoBoard[] = []
    for (let i = 0; i < Number(p.boards); i++) boards.push(await addServoBoard(sim, bytecode, `servo${i}`, p))
    return {
        metrics: () => servoMetrics(boards),
    }
}

async function addServoBoard(sim: Simulation, bytecode: Uint8Array, name: string, p: Record<string, number | string>) {
    const plant = new Gearmotor({
        maxSpeedPerS: Number(p["servo.maxSpeedPerS"]),
        timeConstantS: Number(p["servo.timeConstantMs"]) / 1000,
        initialPosition: Number(p["servo.initialPosition"]),
    })
    const b: ServoBoard = { name, plant, duty: 0, dutyTimesUs: [], settledAtUs: undefined, firstDutyUs: undefined, statusWrites: 0 }
    const noise = sim.random.fork(`${name}/pot-noise`)
    const trace = sim.trace.topic(`${name}/servo`, ["positionTravel", "speedTravelPerS", "duty"])

    // the board's hardware: a potentiometer it streams, and a status register the program writes
    const local = sim.addSegment(`${name}/local`, false)
    const pot = new SensorServer<[number]>(SRV_POTENTIOMETER, { readingValues: [plant.position] })
    const status = new MotorServer(`${name}-status`)
    status.speed.on("change", () => b.statusWrites++)
    local.bus.addServiceProvider(new JDServerServiceProvider(name, [pot, status], { deviceId: deviceIdFor(`${name}/hw`) }))
    const sampleUs = Math.round(Number(p["servo.samplePeriodMs"]) * 1000)
    const stream = () => {
        const reading = Math.min(1, Math.max(0, plant.position + noise.normal(Number(p["servo.noise"]))))
        pot.reading.setValues([reading])
        void pot.reading.sendGetAsync()
        sim.clock.after(sampleUs, stream)
    }
    sim.clock.after(sampleUs, stream)

    // (the duty arrives in a run of the board's VM, an event of its own: the plant is brought up to it first)
    const catchUp = sim.integrate({ maxStepUs: 100, step: dtS => plant.step(dtS, { duty: b.duty }) })
    await sim.addBoard({
        name,
        bytecode,
        segments: [local],
        onTwin: (topic, data) => {
            if (topic !== "motor/duty") return
            catchUp()
            b.duty = new DataView(data.buffer, data.byteOffset).getFloat32(0, true)
            const t = sim.clock.nowUs
            b.firstDutyUs ??= t
            b.dutyTimesUs.push(t)
            const inBand = Math.abs(plant.position - TARGET_POSITION) <= SETTLE_BAND
            if (!inBand) b.settledAtUs = undefined
            else b.settledAtUs ??= t
            sim.trace.record(trace, t, [plant.position, plant.speedPerS, b.duty])
        },
    })
    return b
}

function servoMetrics(boards: ServoBoard[]) {
    const b = boards[0]
    const periods: number[] = []
    for (let i = 1; i < b.dutyTimesUs.length; i++) periods.push(b.dutyTimesUs[i] - b.dutyTimesUs[i - 1])
    const meanUs = periods.reduce((s, x) => s + x, 0) / Math.max(1, periods.length)
    const sdUs = Math.sqrt(periods.reduce((s, x) => s + (x - meanUs) ** 2, 0) / Math.max(1, periods.length))
    const spanS = (b.dutyTimesUs[b.dutyTimesUs.length - 1] - b.dutyTimesUs[0]) / 1e6
    return {
        loopHz: round(periods.length / Math.max(spanS, 1e-9), 1),
        loopPeriodJitterUs: round(sdUs, 1),
        settlingTimeMs:
            b.settledAtUs !== undefined && b.firstDutyUs !== undefined ? round((b.settledAtUs - b.firstDutyUs) / 1000, 1) : null,
        finalPositionErrorPct: round(100 * Math.abs(b.plant.position - TARGET_POSITION), 2),
        statusWritesPerBoard: b.statusWrites,
        boardsSettled: boards.filter(x => x.settledAtUs !== undefined).length,
    }
}


export const servoDemo: Scenario = {
    name: "servo-demo",
    description: "a 1 kHz PD position loop (devs/demo) on a gearmotor; --param boards=N runs N of them",
    defaultDurationS: 2,
    params,
    setup,
    unjudgedBecause:
        "a demonstration of a 1 kHz loop the stock runtime cannot keep (under target=esp32 its 1 ms timer fires in bursts at each 10 ms tick and the servo does not settle; with --param target=ideal it does)",
}
