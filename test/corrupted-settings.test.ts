// Corrupted settings (issue 17, case 6): the stored settings record damaged in the board's flash (bit
// flips, a truncated write, an id of the wrong type). The board latches InvalidSetting naming the
// damage (services/boardfault.md: a setting's index, or the whole record's detail), says what is wrong
// in its log, a joint never drives, and a deploy with good settings repairs it.
import { afterEach, describe, expect, test } from "vitest"
import { PACKET_PROCESS, type Packet } from "jacdac-ts"
import fs from "node:fs"
import { COMMON_PARAMS, resolveParams, targetOf } from "../sim/params.ts"
import { Simulation } from "../sim/simulation.ts"
import { JointBoard } from "../sim/hardware/joint-board.ts"
import { addFootBoard } from "../sim/hardware/foot-board.ts"
import { Gait } from "../sim/plants/gait.ts"
import { ACTUATORS } from "../sim/plants/actuator.ts"
import { SENSORS } from "../sim/plants/actuator-sensors.ts"
import { blockedLoad } from "../sim/plants/loads.ts"
import { enumValue } from "../sim/services.ts"
import { findScenario } from "../sim/scenarios/index.ts"
import { serveJointBoard } from "../sim/serve/served-joint.ts"
import { serveFootBoard } from "../sim/serve/served-foot.ts"
import { bytecodePath } from "../sim/firmware.ts"
import { deploy } from "../tools/deploy/deploy.ts"
import { readJointSettingsFile } from "../tools/joint-settings-file.ts"
import { readFootSettingsFile } from "../tools/foot-settings-file.ts"
import { settingsFileOf } from "../tools/settings-file.ts"
import { defaultJointSettings, encodeJointSettings, JOINT_SETTINGS } from "../devs/joint/settings-schema.ts"
import { encodeFootSettings } from "../devs/foot/settings-schema.ts"
import { sealRecord } from "../devs/lib/record-check.ts"
import { IDEAL_TARGET, refusal } from "./helpers.ts"
import { firstValueDigit, flippedBit } from "../sim/scenarios/faults-corrupted-settings.ts"
import { customService } from "../sim/services.ts"
import { deviceIdFor } from "../sim/simulation.ts"
import { serverDeviceIdOf } from "../sim/vm/board-vm.ts"

const INVALID_SETTING = enumValue("boardfault", "Code", "InvalidSetting")
/** InvalidSetting's details for the record as a whole and for its id (devs/lib/setting-record.ts) */
const WHOLE_RECORD = 0xffff
const RECORD_ID = 0xfffe

const JOINT_VALUES = defaultJointSettings("large")
const jointRecord = () => JSON.stringify(encodeJointSettings("left_knee", JOINT_VALUES))
const footValues = () => readFootSettingsFile(settingsFileOf("left_foot")).values
const footRecord = () => JSON.stringify(encodeFootSettings("left_foot", footValues()))

/** the record's text with bit `bit` of character `at` flipped */
const flipped = flippedBit

/** bit flips where they do different harm: a value's digit, the id, the JSON's syntax, the check, a byte's top bit */
function bitFlips(text: string): { what: string; bytes: Uint8Array }[] {
    return [
        { what: "a value's digit (still a number in range)", bytes: flipped(text, firstValueDigit(text), 0) },
        { what: "a letter of the id", bytes: flipped(text, text.indexOf('"id":"') + 7, 1) },
        { what: "the list's bracket", bytes: flipped(text, text.indexOf("["), 2) },
        { what: "the check's last digit", bytes: flipped(text, text.length - 2, 0) },
        { what: "a byte's top bit", bytes: flipped(text, text.indexOf("]") - 1, 7) },
    ]
}

interface Damage {
    what: string
    bytes: Uint8Array
    detail: number
    /** what the board's log says */
    log: RegExp
}

function damages(text: string, record: { id: string; v: unknown[] }): Damage[] {
    return [
        ...bitFlips(text).map(f => ({ what: `one bit flipped in ${f.what}`, bytes: f.bytes, detail: WHOLE_RECORD, log: /record( is not JSON|'s check does not match| is not \{)/ })),
        { what: "truncated JSON", bytes: Buffer.from(text.slice(0, Math.floor(text.length / 2))), detail: WHOLE_RECORD, log: /record is not JSON \(\d+ bytes: truncated or damaged\)/ },
        {
            what: "a numeric id, sealed with its check (a tool's bug)",
            bytes: Buffer.from(JSON.stringify(sealRecord({ id: 5, v: record.v }))),
            detail: RECORD_ID,
            log: /record's id is not a string/,
        },
        {
            what: "a numeric id put in after sealing",
            bytes: Buffer.from(text.replace(`"id":"${record.id}"`, '"id":5')),
            detail: WHOLE_RECORD,
            log: /record's check does not match/,
        },
    ]
}

/**
 * The board's fault register and its detail, read as the body controller reads them once the board
 * has announced itself (the fault event at power-up goes out before anyone on the bus knows the board).
 */
async function readFault(sim: Simulation, serverId: string, wait = () => sim.run(0.1)): Promise<{ code: number; detail: number }> {
    const bus = sim.segments.find(s => s.name === "body")!.bus
    const fault = bus.device(serverId, true)?.services({ serviceClass: customService("boardfault").classIdentifier })[0]
    if (!fault) throw new Error(`board ${serverId} has not announced its fault service`)
    const out = { code: -1, detail: -1 }
    const onReport = (pkt: Packet) => {
        if (!pkt.isReport || pkt.deviceIdentifier !== serverId || pkt.serviceIndex !== fault.serviceIndex || !pkt.isRegisterGet) return
        if (pkt.registerIdentifier === 0x101) out.code = pkt.data[0] | (pkt.data[1] << 8)
        if (pkt.registerIdentifier === 0x180) out.detail = new DataView(pkt.data.buffer, pkt.data.byteOffset).getUint32(0, true)
    }
    bus.on(PACKET_PROCESS, onReport)
    for (const reg of [0x101, 0x180]) void fault.sendCmdAsync(0x1000 | reg)
    await wait()
    bus.off(PACKET_PROCESS, onReport)
    return out
}

/** a joint powered up with `stored` in its flash, commanded as the body controller would for 1.5 s */
async function jointWith(stored: Uint8Array) {
    const sim = new Simulation({ seed: 2, target: targetOf(resolveParams(COMMON_PARAMS, [])) })
    const body = sim.addSegment("body", true)
    const joint = await JointBoard.add(sim, {
        name: "left_knee",
        actuator: ACTUATORS.large,
        sensors: SENSORS.large,
        settings: JOINT_VALUES,
        storedSetting: stored,
        body,
        load: blockedLoad,
    })
    let bridgeOnDrives = 0
    let maxAbsA = 0
    joint.onDrive(() => joint.bridgeOn && bridgeOnDrives++)
    sim.integrate({ maxStepUs: 50, step: () => (maxAbsA = Math.max(maxAbsA, Math.abs(joint.actuator.currentA))) })
    // (enable until it holds the session's token, every 100 ms as the body controller retries: each
    // enable is answered, and answers share the board's send budget with the fault register's)
    for (let i = 0; i < 150; i++) {
        if (joint.client.tryConnect()) {
            if (!joint.client.token && i % 10 === 0) joint.client.enable()
            joint.client.current(20)
        }
        await sim.run(0.01)
    }
    const fault = await readFault(sim, joint.client.serverDeviceId)
    await sim.stop()
    return { sim, joint, bridgeOnDrives, maxAbsA, fault }
}

/** a walking foot powered up with `stored` in its flash, for 3 s */
async function footWith(stored: Uint8Array) {
    const sim = new Simulation({ seed: 2, target: targetOf(resolveParams(COMMON_PARAMS, [])) })
    const p = resolveParams({ ...COMMON_PARAMS, ...findScenario("foot-gait").params }, [])
    const gait = new Gait({ steps: 3, stepPeriodS: 0.6, stanceFraction: 0.62, stepJitterPct: 0, startDelayS: 1 }, sim.random.fork("gait"))
    const foot = await addFootBoard(sim, "left_foot", gait, p, sim.addSegment("body", true), stored)
    await sim.run(3)
    const fault = await readFault(sim, serverDeviceIdOf(deviceIdFor("left_foot")))
    await sim.stop()
    return { sim, foot, fault }
}

describe("a joint with its stored settings damaged latches InvalidSetting naming the damage and never drives", () => {
    const text = jointRecord()
    for (const d of damages(text, JSON.parse(text)))
        test(d.what, async () => {
            const { sim, joint, bridgeOnDrives, maxAbsA, fault } = await jointWith(d.bytes)
            expect(sim.panics).toEqual([])
            expect(fault).toEqual({ code: INVALID_SETTING, detail: d.detail })
            expect(sim.logs.map(l => l.line).join("\n")).toMatch(d.log)
            // from the plant side: the bridge was never switched on, no current ever flowed
            expect(bridgeOnDrives).toBe(0)
            expect(maxAbsA).toBe(0)
            expect(joint.client.telemetry?.fault).toBe(INVALID_SETTING) // it answers, and says so
        })

    test("a value out of range is named by its index, as before (the record itself is sound)", async () => {
        const { fault, bridgeOnDrives } = await jointWith(Buffer.from(JSON.stringify(encodeJointSettings("left_knee", { ...JOINT_VALUES, rOhm: 50 }))))
        expect(fault).toEqual({ code: INVALID_SETTING, detail: JOINT_SETTINGS.findIndex(s => s.key === "rOhm") })
        expect(bridgeOnDrives).toBe(0)
    })

    test("the undamaged record runs (the check holds as the host writes it)", async () => {
        const { fault, joint, bridgeOnDrives } = await jointWith(Buffer.from(text))
        expect(fault).toEqual({ code: 0, detail: 0 })
        // none while it was commanded (the commands stop at 1.5 s, and its watchdog trips 0.1 s later)
        expect(joint.client.faults.filter(f => f.tUs <= 1_500_000)).toEqual([])
        expect(bridgeOnDrives).toBeGreaterThan(10)
    })
})

describe("a foot with its stored settings damaged latches InvalidSetting naming the damage and runs on the reference sole", () => {
    const text = footRecord()
    for (const d of damages(text, JSON.parse(text)))
        test(d.what, async () => {
            const { sim, foot, fault } = await footWith(d.bytes)
            expect(sim.panics).toEqual([])
            expect(fault).toEqual({ code: INVALID_SETTING, detail: d.detail })
            expect(sim.logs.map(l => l.line).join("\n")).toMatch(d.log)
            expect(foot.events.length).toBeGreaterThan(2) // still detecting contacts, on the reference sole
        })
})

const open: { close(): Promise<void> }[] = []

/** the fault field of every telemetry report the served joint's program sends from now on */
function telemetryFaults(served: { sim: Simulation; board: JointBoard }): number[] {
    const faults: number[] = []
    const id = served.board.client.serverDeviceId
    served.sim.segments.find(s => s.name === "body")!.bus.on(PACKET_PROCESS, (pkt: Packet) => {
        if (pkt.isReport && pkt.deviceIdentifier === id && pkt.isRegisterGet && pkt.registerIdentifier === 0x101 && pkt.data.length >= 26)
            faults.push(pkt.data[24] | (pkt.data[25] << 8)) // six f32 fields, then the fault code (services/jointactuator.md)
    })
    return faults
}
afterEach(async () => {
    for (const o of open.splice(0)) await o.close()
})

describe("a deploy repairs damaged settings (served boards, wall-clock time)", () => {
    test("joint: truncated settings, then hfw deploy --reprovision with the joint's file: the board runs, no fault", async () => {
        const file = readJointSettingsFile(settingsFileOf("left_knee"))
        const served = await serveJointBoard({
            name: "bench",
            actuator: "large",
            provisioned: file,
            storedSetting: Buffer.from(jointRecord().slice(0, 40)),
            port: 0,
            target: IDEAL_TARGET,
        })
        open.push(served)
        await new Promise(r => setTimeout(r, 1500))
        const wallClock = () => new Promise<void>(r => setTimeout(r, 300))
        expect(await readFault(served.sim, served.board.client.serverDeviceId, wallClock)).toEqual({ code: INVALID_SETTING, detail: WHOLE_RECORD })
        const req = {
            board: "joint" as const,
            jointId: "left_knee",
            settings: file,
            bytecode: fs.readFileSync(bytecodePath("joint")),
            host: "127.0.0.1",
            port: served.port,
            reprovision: false,
            log: () => {},
        }
        // damaged settings cannot say which joint the board was: without --reprovision it is refused
        const e = await refusal(req)
        expect(e.step).toBe("check identity")
        expect(e.message).toMatch(/^the board's stored settings are damaged \(the 'joint' setting is not JSON: \{"id":"left_knee".*\); --reprovision writes left_knee's$/)
        expect(e.boardChanged).toBe(false)
        const r = await deploy({ ...req, reprovision: true })
        expect(r.jointIdReported).toBe("left_knee")
        const faults = telemetryFaults(served)
        await new Promise(r => setTimeout(r, 1000))
        expect(faults.length).toBeGreaterThan(5) // running: telemetry every 40 ms
        expect(new Set(faults)).toEqual(new Set([0]))
        expect(served.sim.panics).toEqual([])
    }, 60_000)

    test("foot: one bit flipped, then hfw deploy --reprovision with the foot's file: the board runs, no fault", async () => {
        const file = readFootSettingsFile(settingsFileOf("left_foot"))
        const served = await serveFootBoard({ name: "bench", provisioned: file, storedSetting: bitFlips(footRecord())[0].bytes, port: 0, target: IDEAL_TARGET })
        open.push(served)
        await new Promise(r => setTimeout(r, 1500))
        const footId = serverDeviceIdOf(served.board.vm.deviceId)
        const wallClock = () => new Promise<void>(r => setTimeout(r, 300))
        expect(await readFault(served.sim, footId, wallClock)).toEqual({ code: INVALID_SETTING, detail: WHOLE_RECORD })
        const r = await deploy({
            board: "foot",
            jointId: "left_foot",
            settings: file,
            bytecode: fs.readFileSync(bytecodePath("foot")),
            host: "127.0.0.1",
            port: served.port,
            reprovision: true,
            log: () => {},
        })
        expect(r.jointIdReported).toBe("left_foot")
        await new Promise(r => setTimeout(r, 1000))
        expect(await readFault(served.sim, footId, wallClock)).toEqual({ code: 0, detail: 0 })
        expect(served.sim.panics).toEqual([])
    }, 60_000)
})
