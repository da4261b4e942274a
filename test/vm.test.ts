import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { JDServerServiceProvider, MotorServer, SensorServer, SRV_POTENTIOMETER } from "jacdac-ts"
import { describe, expect, test } from "vitest"
import { Simulation, deviceIdFor } from "../sim/simulation.ts"
import { readVmSource } from "../sim/vm/vm-source.ts"
import { VM_MEMORY_PAGES } from "../sim/vm/counting.ts"
import { provisionFlash } from "../sim/vm/provision.ts"
import { readBytecode } from "../sim/firmware.ts"
import { encodeJointSettings, defaultJointSettings, JOINT_SETTING_KEY } from "../devs/joint/settings-schema.ts"
import { bytecodeOf, IDEAL_TARGET } from "./helpers.ts"

describe("the VM on the virtual clock", () => {
    // the VM on the virtual clock without the target model (target=ideal): wakes exactly when it asks
    test("a DeviceScript setInterval(..., 1) ticks exactly 1000 times per virtual second", async () => {
        const sim = new Simulation({ seed: 1, target: IDEAL_TARGET })
        const tickTimesUs: number[] = []
        await sim.addBoard({
            name: "ticker",
            bytecode: bytecodeOf("test/devs/ticks.ts"),
            segments: [],
            onTwin: topic => topic === "tick" && tickTimesUs.push(sim.clock.nowUs),
        })
        await sim.run(3)
        await sim.stop()
        for (const second of [1, 2]) {
            const inSecond = tickTimesUs.filter(t => t >= second * 1e6 && t < (second + 1) * 1e6)
            expect(inSecond.length).toBe(1000)
        }
    })

    test("wake-up jitter makes a 1 ms interval lose ticks, and is seeded", async () => {
        const ticksWith = async (seed: number) => {
            const sim = new Simulation({ seed, vmJitterMs: 1, target: IDEAL_TARGET })
            const times: number[] = []
            await sim.addBoard({
                name: "ticker",
                bytecode: bytecodeOf("test/devs/ticks.ts"),
                segments: [],
                onTwin: () => times.push(sim.clock.nowUs),
            })
            await sim.run(1)
            await sim.stop()
            return times
        }
        const a = await ticksWith(7)
        expect(a.length).toBeLessThan(950) // a 1 ms interval that wakes up to 1 ms late loses ticks
        expect(a.length).toBeGreaterThan(300)
        expect(await ticksWith(7)).toEqual(a)
        expect(await ticksWith(8)).not.toEqual(a)
    })

    test("frames flow both ways: the host's reading reaches the program and the program's write reaches the host", async () => {
        const sim = new Simulation({ seed: 1 })
        const seg = sim.addSegment("local", false)
        const pot = new SensorServer<[number]>(SRV_POTENTIOMETER, { readingValues: [0.8] })
        const motor = new MotorServer("m")
        seg.bus.addServiceProvider(new JDServerServiceProvider("hw", [pot, motor], { deviceId: deviceIdFor("hw") }))
        await sim.addBoard({ name: "echo", bytecode: bytecodeOf("test/devs/echo.ts"), segments: [seg] })
        await sim.run(0.5)
        await sim.stop()
        // the program writes 2 * reading - 1: 0.6 for 0.8, within the i1.15 encoding's resolution
        expect(motor.speed.values()[0]).toBeCloseTo(0.6, 4)
    })

    test("two VMs in one simulation keep separate state and separate device ids", async () => {
        const sim = new Simulation({ seed: 1 })
        const motors: MotorServer[] = []
        for (const [i, reading] of [0.25, 0.9].entries()) {
            const seg = sim.addSegment(`local${i}`, false)
            const pot = new SensorServer<[number]>(SRV_POTENTIOMETER, { readingValues: [reading] })
            const motor = new MotorServer(`m${i}`)
            seg.bus.addServiceProvider(new JDServerServiceProvider(`hw${i}`, [pot, motor], { deviceId: deviceIdFor(`hw${i}`) }))
            motors.push(motor)
            await sim.addBoard({ name: `echo${i}`, bytecode: bytecodeOf("test/devs/echo.ts"), segments: [seg] })
        }
        await sim.run(0.5)
        await sim.stop()
        expect(motors[0].speed.values()[0]).toBeCloseTo(-0.5, 4)
        expect(motors[1].speed.values()[0]).toBeCloseTo(0.8, 4)
        const ids = sim.logs.map(l => /device (\w+)/.exec(l.line)?.[1])
        expect(ids).toHaveLength(2)
        expect(ids[0]).not.toBe(ids[1])
        expect(ids.sort()).toEqual([sim.boards[0].deviceId, sim.boards[1].deviceId].sort())
    })

    test("a VM panic is reported with the program's message, and the other boards go on", async () => {
        // ideal: the healthy board's 1 kHz ticks count how it goes on
        const sim = new Simulation({ seed: 1, target: IDEAL_TARGET })
        const ticks: number[] = []
        await sim.addBoard({ name: "faulty", bytecode: bytecodeOf("test/devs/panic.ts"), segments: [] })
        await sim.addBoard({
            name: "healthy",
            bytecode: bytecodeOf("test/devs/ticks.ts"),
            segments: [],
            onTwin: () => ticks.push(sim.clock.nowUs),
        })
        await sim.run(1)
        await sim.stop()
        expect(sim.panics).toHaveLength(1)
        expect(sim.panics[0].board).toBe("faulty")
        expect(sim.panics[0].code).not.toBe(0)
        expect(sim.panics[0].message).toContain("joint angle out of range")
        expect(ticks.filter(t => t > 0.5e6).length).toBeGreaterThan(400)
    })
})

describe("the VM loader", () => {
    test("gives each VM its memory (VM_MEMORY_PAGES), of which a joint board under the target model uses less than a quarter", async () => {
        const sim = new Simulation({ seed: 1 })
        const bytecode = readBytecode("joint")
        const flash = await provisionFlash(deviceIdFor("mem"), bytecode, { [JOINT_SETTING_KEY]: encodeJointSettings("mem", defaultJointSettings("large")) })
        const vm = await sim.addBoard({ name: "mem", bytecode, flash, segments: [sim.addSegment("bus", true)] })
        await sim.run(2)
        await sim.stop()
        // (the memory is the VM's own, not reachable through BoardVm's API)
        const memory: Uint8Array = (vm as unknown as { mod: { HEAPU8: Uint8Array } }).mod.HEAPU8
        expect(memory.byteLength).toBe(VM_MEMORY_PAGES * 65536)
        let highest = memory.length - 1
        while (highest > 0 && memory[highest] === 0) highest--
        expect(highest).toBeLessThan(memory.byteLength / 4)
    })

    test("names the installed CLI version when the VM section markers are missing", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hfw-cli-"))
        fs.mkdirSync(path.join(dir, "built"))
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ version: "9.8.7" }))
        const cli = path.join(dir, "built", "devicescript-cli.cjs")
        fs.writeFileSync(cli, "module.exports = { mainCli() {} }\n")
        expect(() => readVmSource(cli)).toThrow(/@devicescript\/cli 9\.8\.7 .*markers were not found.*2\.16\.4/s)
        fs.rmSync(dir, { recursive: true })
    })
})

describe("provisioning a board's flash", () => {
    test("writes each image once per process: the same inputs give the same image, each board its own copy, other settings another", async () => {
        const bytecode = readBytecode("joint")
        const settings = (dampKdNmsRad: number) => ({ [JOINT_SETTING_KEY]: encodeJointSettings("left_knee", { ...defaultJointSettings("large"), dampKdNmsRad }) })
        const a = await provisionFlash(deviceIdFor("left_knee"), bytecode, settings(2))
        const b = await provisionFlash(deviceIdFor("left_knee"), bytecode, settings(2))
        expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true)
        b[0] ^= 0xff
        const c = await provisionFlash(deviceIdFor("left_knee"), bytecode, settings(2))
        expect(Buffer.from(c).equals(Buffer.from(a))).toBe(true)
        const d = await provisionFlash(deviceIdFor("left_knee"), bytecode, settings(3))
        expect(Buffer.from(d).equals(Buffer.from(a))).toBe(false)
    })
})
