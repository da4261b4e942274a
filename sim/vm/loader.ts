// Makes the DeviceScript WASM VM of the pinned @devicescript/cli bundle (vm-source.ts) into a factory.
// The VM is one esbuild CommonJS section of the bundle; evaluating it on its own, with our own `Date`
// and `require`, gives an Emscripten factory whose instances read the virtual clock and a seeded
// random source instead of the host's.
import path from "node:path"
import { createRequire } from "node:module"
import { countedVmModule, countersOf, type VmCounters, type VmVariant } from "./counting.ts"
import { readVmSource, type VmSource } from "./vm-source.ts"
import { PROBE_IMPORT, type LookupTally } from "./lookup-probe.ts"
import { PROFILE_IMPORT, type OpProfile } from "./op-profile.ts"

const require = createRequire(import.meta.url)

/** the VM section compiled (once per process and source: it is megabytes of JavaScript), by its text */
const compiledSections = new Map<string, Function>()

/**
 * The VM section as a function of what it reads from its surroundings; each call runs the section
 * anew, so each simulation's factory has its own `Date`, `require` and `console`.
 */
function sectionFunction(source: VmSource): Function {
    let f = compiledSections.get(source.section)
    if (!f) {
        const body = `${source.section}\nreturn require_devicescript_vm();`
        f = new Function("__commonJS", "require", "__filename", "__dirname", "Date", "console", body)
        compiledSections.set(source.section, f)
    }
    return f
}

/** The subset of the Emscripten module the simulator uses. */
export interface DevsModule {
    HEAPU8: Uint8Array
    _malloc(size: number): number
    _free(ptr: number): void
    _jd_em_process(): number
    _jd_em_frame_received(ptr: number): number
    devsSetDeviceId(id: string): void
    devsInit(): void
    devsDeploy(bytecode: Uint8Array): number
    devsGcStress(on: boolean): void
    sendPacket: (frame: Uint8Array) => void
    dmesg: (line: string) => void
    panicHandler: (code: number) => void
    deployHandler: (code: number) => void
    flashSave: ((data: Uint8Array) => void) | null
    flashLoad: (() => Uint8Array) | null
    flashSize?: number
    /** the work this instance has done (sim/vm/counting.ts) */
    counters: VmCounters
}

export interface DevsInstanceOptions {
    /** the time this instance reads (its em_time_now), in milliseconds; default: the environment's */
    nowMs?: () => number
    /** where a module with the lookup probe (variant lookupProbe) counts its lookups by name */
    lookups?: LookupTally
    /** where a module with the profile's calls (variant opProfile) charges its work by pc */
    profile?: OpProfile
}

export type DevsFactory = (opts?: DevsInstanceOptions) => Promise<DevsModule>

/** Time and randomness the VM sees. */
export interface VmEnvironment {
    /** virtual time in milliseconds (fractions allowed) */
    nowMs(): number
    /** fill `n` bytes from the simulation's seeded random source */
    randomBytes(n: number): Uint8Array
}

/**
 * Evaluates the VM section with `env` standing in for the host's clock and random source. `variant`:
 * the runtime build (the stock one by default).
 */
export function createVmFactory(env: VmEnvironment, variant: VmVariant = { freeFill: true }, source: VmSource = readVmSource()): DevsFactory {
    // microsecond resolution, as the board's timer has. (A VM woken by a frame before its program
    // started never ran its timers; BoardVm holds such frames, see board-vm.ts.)
    const VirtualDate = { now: () => env.nowMs() }
    const sandboxRequire = (id: string) => {
        if (id === "crypto") return { randomBytes: (n: number) => env.randomBytes(n) }
        return require(id)
    }
    // esbuild's __commonJS: runs the section's module body once, on first call.
    const commonJS = (def: Record<string, (exports: object, module: { exports: object }) => void>) => () => {
        const mod = { exports: {} }
        Object.values(def)[0](mod.exports, mod)
        return mod.exports
    }
    // the VM's own JS prints "PANIC <code>" with console.log; panics reach us through panicHandler
    const quietConsole = { ...console, log: (...args: unknown[]) => process.env.HFW_DMESG && console.error(...args) }
    const emscripten = sectionFunction(source)(commonJS, sandboxRequire, source.cliPath, path.dirname(source.cliPath), VirtualDate, quietConsole)
    if (typeof emscripten !== "function")
        throw new Error(`@devicescript/cli ${source.cliVersion}: the VM section did not yield a factory function`)
    return async (opts = {}) => {
        const wasm = await countedVmModule(source, variant)
        let counters: VmCounters | undefined
        // Emscripten's hook for supplying the instance: every board shares one compiled, counted module
        const instantiateWasm = (imports: { env: Record<string, unknown> }, receive: (i: WebAssembly.Instance) => void) => {
            if (opts.nowMs) imports.env.em_time_now = opts.nowMs
            let memory: WebAssembly.Memory | undefined
            const tally = opts.lookups
            if (variant.lookupProbe) imports.env[PROBE_IMPORT] = (ptr: number, bytes: number, kind: number) => tally?.read(memory!, ptr, bytes, kind)
            const profile = opts.profile
            profile?.restart()
            if (variant.opProfile) imports.env[PROFILE_IMPORT] = (ctx: number, kind: number) => profile?.op(memory!, ctx, kind, counters!.work())
            const instance = new WebAssembly.Instance(wasm, imports as WebAssembly.Imports)
            memory = instance.exports.memory as WebAssembly.Memory
            counters = countersOf(instance.exports)
            receive(instance)
            return instance.exports
        }
        const m = (await emscripten({ instantiateWasm })) as DevsModule
        m.counters = counters!
        return m
    }
}
