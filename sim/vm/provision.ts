// Writes settings into a board's flash the way a deploy does: a VM boots with the bytecode, the host
// sends Settings `set` commands to the VM's own settings service, and the flash image it saved is
// what the board then powers up with. Runs on its own clock, before the simulation starts.
import { createHash } from "node:crypto"
import { jdpack, SRV_SETTINGS, type JDService } from "jacdac-ts"
import { VirtualClock } from "../clock.ts"
import { Random } from "../random.ts"
import { BusSegment } from "../bus/segment.ts"
import { BoardVm } from "./board-vm.ts"
import { createVmFactory } from "./loader.ts"
import { IDEAL_TARGET, TargetModel } from "./target-model.ts"

const SETTINGS_CMD_SET = 0x81
const PROVISION_TIMEOUT_US = 2_000_000

/** flash images already written in this process, by what they were written from (provisionKey) */
const provisioned = new Map<string, Uint8Array>()
/** ... at most this many (a sweep over settings makes a new one each run) */
const PROVISIONED_KEPT = 64

/**
 * The flash image of a board with `bytecode` deployed and `settings` (key -> JSON value, or the bytes
 * to store as they are: a damaged setting) stored. The same inputs write the same image (its VM runs
 * on a clock and a random source of its own), so an image is written once per process: a sweep's
 * worker then starts each later run of a robot without booting twelve VMs to write it again.
 */
export async function provisionFlash(deviceId: string, bytecode: Uint8Array, settings: Record<string, unknown>): Promise<Uint8Array> {
    const key = provisionKey(deviceId, bytecode, settings)
    let image = provisioned.get(key)
    if (!image) {
        image = await writeFlash(deviceId, bytecode, settings)
        if (provisioned.size >= PROVISIONED_KEPT) provisioned.delete(provisioned.keys().next().value!)
        provisioned.set(key, image)
    }
    // (a copy: the board's flash is its own)
    return image.slice()
}

function provisionKey(deviceId: string, bytecode: Uint8Array, settings: Record<string, unknown>): string {
    const hash = createHash("sha256").update(deviceId).update("\n").update(bytecode)
    for (const [k, v] of Object.entries(settings)) {
        hash.update(`\n${k}\n`)
        hash.update(v instanceof Uint8Array ? "bytes:" : "json:")
        hash.update(v instanceof Uint8Array ? v : JSON.stringify(v))
    }
    return hash.digest("hex")
}

async function writeFlash(deviceId: string, bytecode: Uint8Array, settings: Record<string, unknown>): Promise<Uint8Array> {
    const clock = new VirtualClock()
    const random = new Random(0, "provision")
    const factory = createVmFactory({ nowMs: () => clock.nowMs, randomBytes: n => random.bytes(n) })
    const seg = new BusSegment({ name: "provision", clock, hostDeviceId: "ffffffffffffff01" })
    let send: (frame: Uint8Array) => void = () => {}
    // writing the flash is not what the board is timed on
    const model = new TargetModel("esp32s3", IDEAL_TARGET)
    const vm = await BoardVm.start(factory, { name: "provision", deviceId, bytecode, clock, random, model, onFrame: f => send(f) })
    send = seg.attach(vm)
    try {
        let service: JDService | undefined
        while (!service && clock.nowUs < PROVISION_TIMEOUT_US) {
            await clock.runUntil(clock.nowUs + 10_000)
            service = seg.bus.device(deviceId, true)?.services({ serviceClass: SRV_SETTINGS })[0]
        }
        if (!service) throw new Error(`board ${deviceId}: its settings service did not appear within ${PROVISION_TIMEOUT_US / 1e6} s`)
        for (const [key, value] of Object.entries(settings)) {
            const bytes = value instanceof Uint8Array ? value : new TextEncoder().encode(JSON.stringify(value))
            const data = jdpack<[string, Uint8Array]>("z b", [key, bytes])
            await service.sendCmdAsync(SETTINGS_CMD_SET, data)
            await clock.runUntil(clock.nowUs + 5_000)
        }
        await clock.runUntil(clock.nowUs + 20_000)
        return vm.flash
    } finally {
        vm.stop()
        await seg.stop()
    }
}
