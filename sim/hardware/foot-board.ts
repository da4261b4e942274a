// One foot sensor board in the simulator: its gait-driven ground contact and four load cells, its
// load-cell ADC on its hardware link, its VM running the foot bytecode on its local segment and on
// a body bus, and the body controller's view of it (touchdown and liftoff events, reports, faults),
// with each report checked against the plant's truth at the instant its sample was taken.
import { DEVICE_ANNOUNCE, PACKET_PROCESS, type JDDevice, type JDService, type Packet } from "jacdac-ts"
import type { BusSegment } from "../bus/segment.ts"
import { readBytecode, chipOf } from "../firmware.ts"
import type { ParamValues } from "../params.ts"
import { FootGround } from "../plants/foot-ground.ts"
import type { Gait } from "../plants/gait.ts"
import { LoadCells, type CellFault } from "../plants/load-cells.ts"
import { customService, enumName, enumValue, servicePacket } from "../services.ts"
import { deviceIdFor, type Simulation } from "../simulation.ts"
import { serverDeviceIdOf } from "../vm/board-vm.ts"
import { footMetrics, type BoardEvent, type ReportError } from "../metrics/foot-contact.ts"
import type { FaultReport } from "../result.ts"
import { SampledLink } from "./sampled-link.ts"
import { FixedPacker } from "../pack-format.ts"
import { provisionFlash } from "../vm/provision.ts"
import { FOOT_SETTING_KEY, type StoredFootSettings } from "../../devs/foot/settings-schema.ts"

const FOOT_CONTACT = customService("footcontact")
const BOARD_FAULT = customService("boardfault")
const CONTACT = servicePacket("footcontact", "contact")
const SAMPLE_PERIOD = servicePacket("footcontact", "sample_period")
const TARE = servicePacket("footcontact", "tare")
const TOUCHDOWN = servicePacket("footcontact", "touchdown")
const LIFTOFF = servicePacket("footcontact", "liftoff")
const FAULT = servicePacket("boardfault", "fault")
const FLAG_COP_VALID = enumValue("footcontact", "Flags", "CopValid")
/** the report read without parsing its format at each one (sim/pack-format.ts) */
const CONTACT_REPORT = new FixedPacker(CONTACT.packFormat, "services/footcontact.md contact")
const U32_SPAN = 2 ** 32
/** truth is kept this long for the reports that refer to it */
const TRUTH_KEEP_US = 500_000

interface Truth {
    forceN: number
    copXMm: number
    copYMm: number
}

const numParam = (p: ParamValues, k: string) => Number(p[k])

/**
 * Adds a foot board named `name` walking `gait` on `body`. `p` holds the foot plant's parameters
 * (the foot-gait scenario's names: noiseN, driftNPerMin, bodyWeightN, sampleMs, fault.*, ...).
 * With `settings` the board powers up provisioned with them (or with those bytes stored as its
 * setting: a damaged flash); without, unprovisioned (the reference sole).
 */
export async function addFootBoard(sim: Simulation, name: string, gait: Gait, p: ParamValues, body: BusSegment, settings?: StoredFootSettings | Uint8Array) {
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
        sim.random.fork(`${name}/cell-noise`),
        sim.random.fork(`${name}/cell-events`)
    )
    /** steps the foot's plant up to now: before its hardware reads or changes it (Simulation.integrate) */
    const catchUp = sim.integrate({
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
    const plantTrace = sim.trace.topic(`${name}/plant`, ["forceN", "copXMm", "copYMm", "cell0Counts", "cell1Counts", "cell2Counts", "cell3Counts"])
    const local = sim.addSegment(`${name}/local`, false)
    let sequence = 0
    const link = new SampledLink({
        board: name,
        segment: local,
        service: "footloadcells",
        topicPrefix: "flc",
        // the ADS131M04's frame: six 24-bit words at 4 MHz (devs/foot/hardware.ts)
        transfer: { bytes: 18, clockHz: 4_000_000 },
        sample: stampUs => {
            catchUp()
            const tUs = sim.clock.nowUs
            const stamp = stampUs % U32_SPAN
            const { counts, ready } = cells.read()
            truth.set(stamp, { forceN: ground.forceN, copXMm: ground.copXMm, copYMm: ground.copYMm })
            truthOrder.push(stamp)
            while (truthOrder.length && tUs - truthOrder[0] > TRUTH_KEEP_US) truth.delete(truthOrder.shift()!)
            sim.trace.record(plantTrace, tUs, [ground.forceN, ground.copXMm, ground.copYMm, ...counts])
            sequence = (sequence + 1) & 0xffff
            return [stamp, ...counts, sequence, ready]
        },
    })

    // the body controller's side
    const serverId = serverDeviceIdOf(deviceIdFor(name))
    const events: BoardEvent[] = []
    /** the body controller's hooks on what the board sends: its reports' stamps and its events */
    const listeners: { report?: (stampU32: number, atUs: number) => void; event?: (e: BoardEvent) => void } = {}
    const errors: ReportError[] = []
    /** each report's error against the truth is kept for foot-gait's figures; not in a long run that reads none (robot-walk), so memory stays flat */
    const keep = { reportErrors: true }
    const faults: FaultReport[] = []
    const bodyWeightN = numParam(p, "bodyWeightN")
    const copMinForceN = 0.1 * bodyWeightN
    const walkEndUs = gait.stances.length ? gait.stances[gait.stances.length - 1].liftoffUs : 0
    const reportTrace = sim.trace.topic(`${name}/board`, ["totalForceN", "copXMm", "copYMm", "state", "flags", "healthyCells"])
    const eventTrace = sim.trace.topic(`${name}/events`, ["touchdown", "boardTimestampUs"], { events: true })
    let contact: JDService | undefined
    body.bus.on(DEVICE_ANNOUNCE, (d: JDDevice) => {
        if (d.deviceId !== serverId) return
        const srv = d.services({ serviceClass: FOOT_CONTACT.classIdentifier })[0]
        if (!srv || contact) return
        contact = srv
        void srv.register(SAMPLE_PERIOD.identifier).sendSetPackedAsync([numParam(p, "sampleMs")])
    })
    body.bus.on(PACKET_PROCESS, (pkt: Packet) => {
        if (!pkt.isReport || pkt.isRepeatedEvent || pkt.device?.deviceId !== serverId) return
        const t = sim.clock.nowUs
        if (pkt.serviceClass === BOARD_FAULT.classIdentifier && pkt.isEvent && pkt.eventCode === FAULT.identifier) {
            const [detail, code] = pkt.jdunpack<[number, number]>(FAULT.packFormat)
            faults.push({ board: name, code: enumName("boardfault", "Code", code), tS: t / 1e6, detail })
        }
        if (pkt.serviceClass !== FOOT_CONTACT.classIdentifier) return
        if (pkt.isEvent && (pkt.eventCode === TOUCHDOWN.identifier || pkt.eventCode === LIFTOFF.identifier)) {
            const touchdown = pkt.eventCode === TOUCHDOWN.identifier
            const [stamp] = pkt.jdunpack<[number, number]>((touchdown ? TOUCHDOWN : LIFTOFF).packFormat)
            const e: BoardEvent = { kind: touchdown ? "touchdown" : "liftoff", atUs: t, boardUs: stamp }
            events.push(e)
            listeners.event?.(e)
            sim.trace.record(eventTrace, t, [touchdown ? 1 : 0, stamp])
        } else if (pkt.isRegisterGet && pkt.registerIdentifier === CONTACT.identifier) {
            const r = CONTACT_REPORT.readHead(pkt.data) ?? pkt.jdunpack<number[]>(CONTACT.packFormat)
            const [stamp, totalN, copXMm, copYMm] = r
            listeners.report?.(stamp, t)
            sim.trace.record(reportTrace, t, [totalN, copXMm, copYMm, r[8], r[9], r[10]])
            const truthAt = truth.get(stamp)
            // measured over the walk, from the first touchdown to the last liftoff
            if (!truthAt || !gait.stances.length || t < gait.stances[0].touchdownUs || t > walkEndUs) return
            const e: ReportError = { forceErrorN: totalN - truthAt.forceN }
            if (r[9] & FLAG_COP_VALID && truthAt.forceN >= copMinForceN) {
                e.copErrorMm = Math.hypot(copXMm - truthAt.copXMm, copYMm - truthAt.copYMm)
                e.copMm = [copXMm, copYMm, truthAt.copXMm, truthAt.copYMm]
            }
            if (keep.reportErrors) errors.push(e)
        }
    })
    const tareAtS = numParam(p, "tareAtS")
    if (tareAtS > 0) sim.clock.schedule(tareAtS * 1e6, () => void contact?.sendCmdAsync(TARE.identifier))

    const bytecode = readBytecode("foot")
    const flash = settings ? await provisionFlash(deviceIdFor(name), bytecode, { [FOOT_SETTING_KEY]: settings }) : undefined
    const vm = await sim.addBoard({
        name,
        chip: chipOf("foot"),
        bytecode,
        flash,
        segments: [local, body],
        local,
        localDevices: [link.deviceId],
        onTwin: (topic, data) => {
            // the firmware sets the ADC's data rate (CLOCK.OSR on a board): [data rate Hz u32]
            if (topic === "flc/rate") {
                catchUp()
                cells.adc.setDataRate(new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true))
            } else link.handleTwin(topic)
        },
    })
    link.vm = vm
    vm.cpu.declarePeriod(numParam(p, "sampleMs") * 1000)
    return {
        vm,
        ground,
        gait,
        events,
        listeners,
        errors,
        keep,
        faults,
        traces: { plant: plantTrace, board: reportTrace, events: eventTrace },
        metrics: () => footMetrics(gait.stances, events, errors, bodyWeightN),
    }
}


export type FootBoard = Awaited<ReturnType<typeof addFootBoard>>
