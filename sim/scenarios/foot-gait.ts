// foot-gait: one foot board (devs/foot) in its VM, walking. The gait, the ground and the load cells
// are simulated; the board samples its cells through its hardware link, and the body controller
// (this host, on a timed body bus the board is also on) receives its touchdown and liftoff events and
// its reports. Latency runs from the plant's true event to the event's arrival on the body bus.
import fs from "node:fs"
import { DEVICE_ANNOUNCE, PACKET_PROCESS, type JDDevice, type JDService, type Packet } from "jacdac-ts"
import { bytecodePath } from "../firmware.ts"
import { SampledLink } from "../hardware/sampled-link.ts"
import { choice, num, type ParamValues } from "../params.ts"
import { FootGround } from "../plants/foot-ground.ts"
import { Gait } from "../plants/gait.ts"
import { CELLS, LoadCells, type CellFault } from "../plants/load-cells.ts"
import { customService, enumName, enumValue, servicePacket } from "../services.ts"
import type { Simulation } from "../simulation.ts"
import { footMetrics, type BoardEvent, type ReportError } from "./foot-metrics.ts"
import type { FaultReport, Scenario, ScenarioRun } from "./scenario.ts"

const params = {
    steps: num(1000, "steps", 0, 100_000, "stances of the foot to walk (then it stays in the air)", true),
    stepPeriodS: num(0.6, "s", 0.3, 1.5, "step period (a stride of one foot is two steps)"),
    stanceFraction: num(0.62, "of stride", 0.5, 0.8, "stance share of the stride (double support: the excess over 0.5)"),
    stepJitterPct: num(3, "%", 0, 20, "seeded variation of each stride's period"),
    noiseN: num(1.5, "N", 0, 30, "noise sigma of each load cell"),
    driftNPerMin: num(2, "N/min", 0, 60, "largest zero drift rate of a cell (each drifts at 50-100 % of it)"),
    creepPct: num(0.3, "%", 0, 5, "creep of a cell under constant load, reached after 10 min"),
    ringingN: num(20, "N", 0, 200, "amplitude of the sole's ringing at touchdown (50-200 Hz, decays in ~15 ms)"),
    swingAccelMps2: num(30, "m/s2", 0, 100, "peak acceleration of the sole in swing (inertial artefacts)"),
    soleMassKg: num(0.3, "kg", 0, 2, "unsprung mass below the cells"),
    bodyWeightN: num(490, "N", 100, 2000, "body weight (50 kg robot)"),
    touchdownSpeedMps: num(0.35, "m/s", 0, 2, "vertical speed of the foot at touchdown"),
    legMassKg: num(6, "kg", 0.5, 30, "effective leg mass brought to rest at heel strike"),
    groundStiffnessNPerM: num(1.5e5, "N/m", 1e4, 1e6, "ground contact stiffness (rubber sole on concrete)"),
    groundDampingRatio: num(0.5, "", 0.05, 2, "ground contact damping ratio"),
    sampleMs: num(2, "ms", 1, 50, "the board's load-cell sampling period (written to its sample_period register)", true),
    "fault.kind": choice("none", ["none", "silent", "stuck", "saturated"], "load-cell fault to inject"),
    "fault.cell": num(0, "cell", 0, CELLS - 1, "cell the fault hits (0 heel outer, 1 heel inner, 2 toe outer, 3 toe inner)", true),
    "fault.atS": num(5, "s", 0, 86_400, "time the fault starts"),
    offsetStepN: num(0, "N", -300, 300, "zero offset added to every cell at offsetStepAtS (a re-mounted sole)"),
    offsetStepAtS: num(2, "s", 0, 86_400, "time of the offset step"),
    tareAtS: num(0, "s", 0, 86_400, "time the body controller sends the tare command (0: never)"),
}

/** the board boots, zeroes its cells and is discovered on the body bus before the first step */
const START_DELAY_S = 1
const FOOT_CONTACT = customService("footcontact")
const BOARD_FAULT = customService("boardfault")
const CONTACT = servicePacket("footcontact", "contact")
const SAMPLE_PERIOD = servicePacket("footcontact", "sample_period")
const TARE = servicePacket("footcontact", "tare")
const TOUCHDOWN = servicePacket("footcontact", "touchdown")
const LIFTOFF = servicePacket("footcontact", "liftoff")
const FAULT = servicePacket("boardfault", "fault")
const FLAG_COP_VALID = enumValue("footcontact", "Flags", "CopValid")
const U32_SPAN = 2 ** 32
/** truth is kept this long for the reports that refer to it */
const TRUTH_KEEP_US = 500_000

interface Truth {
    forceN: number
    copXMm: number
    copYMm: number
}

const numParam = (p: ParamValues, k: keyof typeof params) => Number(p[k])

function makeGait(p: ParamValues, sim: Simulation) {
    return new Gait(
        {
            steps: numParam(p, "steps"),
            stepPeriodS: numParam(p, "stepPeriodS"),
            stanceFraction: numParam(p, "stanceFraction"),
            stepJitterPct: numParam(p, "stepJitterPct"),
            startDelayS: START_DELAY_S,
        },
        sim.random.fork("foot/gait")
    )
}

async function setup(sim: Simulation, p: ParamValues): Promise<ScenarioRun> {
    const gait = makeGait(p, sim)
    const ground = new FootGround(
        {
            bodyWeightN: numParam(p, "bodyWeightN"),
            touchdownSpeedMps: numParam(p, "touchdownSpeedMps"),
            groundStiffnessNPerM: numParam(p, "groundStiffnessNPerM"),
            groundDampingRatio: numParam(p, "groundDampingRatio"),
            legMassKg: numParam(p, "legMassKg"),
            swingAccelMps2: numParam(p, "swingAccelMps2"),
        },
        gait
    )
    const cells = new LoadCells(
        {
            noiseN: numParam(p, "noiseN"),
            driftNPerMin: numParam(p, "driftNPerMin"),
            creepPct: numParam(p, "creepPct"),
            creepTimeS: 600,
            fullScaleN: 750,
            soleMassKg: numParam(p, "soleMassKg"),
            ringingN: numParam(p, "ringingN"),
            ringingDecayS: 0.015,
            ringingMinHz: 50,
            ringingMaxHz: 200,
        },
        sim.random.fork("foot/cell-noise"),
        sim.random.fork("foot/cell-events")
    )
    sim.integrate({
        maxStepUs: 50,
        step: dtS => {
            const before = ground.stance
            ground.step(dtS)
            if (ground.stance && ground.stance !== before) cells.ring()
            cells.step(dtS, ground)
        },
    })
    const kind = p["fault.kind"] as CellFault
    if (kind !== "none") sim.clock.schedule(numParam(p, "fault.atS") * 1e6, () => (cells.fault = { cell: numParam(p, "fault.cell"), kind }))
    if (numParam(p, "offsetStepN")) sim.clock.schedule(numParam(p, "offsetStepAtS") * 1e6, () => (cells.offsetN = numParam(p, "offsetStepN")))

    // the board's own hardware: its load-cell ADC on its local segment
    const truth = new Map<number, Truth>()
    const truthOrder: number[] = []
    const plantTrace = sim.trace.topic("foot/plant", ["forceN", "copXMm", "copYMm", "cell0Counts", "cell1Counts", "cell2Counts", "cell3Counts"])
    const local = sim.addSegment("foot/local", false)
    let sequence = 0
    const link = new SampledLink({
        board: "foot",
        segment: local,
        service: "footloadcells",
        topicPrefix: "flc",
        sample: () => {
            const tUs = sim.clock.nowUs
            const stamp = tUs % U32_SPAN
            const { counts, ready } = cells.sample()
            truth.set(stamp, { forceN: ground.forceN, copXMm: ground.copXMm, copYMm: ground.copYMm })
            truthOrder.push(stamp)
            while (truthOrder.length && tUs - truthOrder[0] > TRUTH_KEEP_US) truth.delete(truthOrder.shift()!)
            sim.trace.record(plantTrace, tUs, [ground.forceN, ground.copXMm, ground.copYMm, ...counts])
            sequence = (sequence + 1) & 0xffff
            return [stamp, ...counts, sequence, ready]
        },
    })

    // the body controller's side
    const body = sim.addSegment("body", true)
    const events: BoardEvent[] = []
    const errors: ReportError[] = []
    const faults: FaultReport[] = []
    const bodyWeightN = numParam(p, "bodyWeightN")
    const copMinForceN = 0.1 * bodyWeightN
    const walkEndUs = gait.stances.length ? gait.stances[gait.stances.length - 1].liftoffUs : 0
    const reportTrace = sim.trace.topic("foot/board", ["totalForceN", "copXMm", "copYMm", "state", "flags", "healthyCells"])
    const eventTrace = sim.trace.topic("foot/events", ["touchdown", "boardTimestampUs"])
    let contact: JDService | undefined
    body.bus.on(DEVICE_ANNOUNCE, (d: JDDevice) => {
        const srv = d.services({ serviceClass: FOOT_CONTACT.classIdentifier })[0]
        if (!srv || contact) return
        contact = srv
        void srv.register(SAMPLE_PERIOD.identifier).sendSetPackedAsync([numParam(p, "sampleMs")])
    })
    body.bus.on(PACKET_PROCESS, (pkt: Packet) => {
        if (!pkt.isReport || pkt.isRepeatedEvent) return
        const t = sim.clock.nowUs
        if (pkt.serviceClass === BOARD_FAULT.classIdentifier && pkt.isEvent && pkt.eventCode === FAULT.identifier) {
            const [detail, code] = pkt.jdunpack<[number, number]>(FAULT.packFormat)
            faults.push({ board: "foot", code: enumName("boardfault", "Code", code), tS: t / 1e6, detail })
        }
        if (pkt.serviceClass !== FOOT_CONTACT.classIdentifier) return
        if (pkt.isEvent && (pkt.eventCode === TOUCHDOWN.identifier || pkt.eventCode === LIFTOFF.identifier)) {
            const touchdown = pkt.eventCode === TOUCHDOWN.identifier
            const [stamp] = pkt.jdunpack<[number, number]>((touchdown ? TOUCHDOWN : LIFTOFF).packFormat)
            events.push({ kind: touchdown ? "touchdown" : "liftoff", atUs: t, boardUs: stamp })
            sim.trace.record(eventTrace, t, [touchdown ? 1 : 0, stamp])
        } else if (pkt.isRegisterGet && pkt.registerIdentifier === CONTACT.identifier) {
            const r = pkt.jdunpack<number[]>(CONTACT.packFormat)
            const [stamp, totalN, copXMm, copYMm] = r
            sim.trace.record(reportTrace, t, [totalN, copXMm, copYMm, r[8], r[9], r[10]])
            const truthAt = truth.get(stamp)
            // measured over the walk, from the first touchdown to the last liftoff
            if (!truthAt || !gait.stances.length || t < gait.stances[0].touchdownUs || t > walkEndUs) return
            const e: ReportError = { forceErrorN: totalN - truthAt.forceN }
            if (r[9] & FLAG_COP_VALID && truthAt.forceN >= copMinForceN)
                e.copErrorMm = Math.hypot(copXMm - truthAt.copXMm, copYMm - truthAt.copYMm)
            errors.push(e)
        }
    })
    const tareAtS = numParam(p, "tareAtS")
    if (tareAtS > 0) sim.clock.schedule(tareAtS * 1e6, () => void contact?.sendCmdAsync(TARE.identifier))

    const vm = await sim.addBoard({
        name: "foot",
        bytecode: fs.readFileSync(bytecodePath("foot")),
        segments: [local, body],
        local,
        localDevices: [link.deviceId],
        onTwin: topic => {
            link.handleTwin(topic)
        },
    })
    link.deliver = frame => vm.receive(frame)
    return {
        metrics: () => footMetrics(gait.stances, events, errors, bodyWeightN),
        faults: () => faults,
    }
}

/** long enough for the walk with every stride at its longest, and a swing after it */
function walkDurationS(p: ParamValues): number {
    const strideS = 2 * numParam(p, "stepPeriodS") * (1 + numParam(p, "stepJitterPct") / 100)
    return Math.ceil((START_DELAY_S + (numParam(p, "steps") + 1) * strideS) * 1000) / 1000
}

export const footGait: Scenario = {
    name: "foot-gait",
    description: "one foot board (devs/foot) walking: contact latency, false/missed contacts, CoP and GRF errors",
    defaultDurationS: 10,
    durationS: walkDurationS,
    params,
    setup,
}
