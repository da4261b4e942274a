// Where a bench case's wall time goes: one more warm run under V8's sampling profiler, its self time
// split by where the code lives. The VM's share bounds what host-side work can win: with no host cost
// at all the run would take only the VM's time, so the warm factor over the VM's share is the most a
// faster host could give (tools/bench.ts prints it beside design/targets.md's 10 x and 100 x).
import { Session } from "node:inspector/promises"

/** the parts of the simulator a profile's self time is charged to, in the order they are printed */
export const PARTS = ["VM", "VM host side", "plants and boards", "jacdac-ts", "clock and bus", "GC", "other"] as const
export type Part = (typeof PARTS)[number]

/** the part of the simulator a function belongs to, by its script's URL and its name */
export function partOf(url: string, functionName: string): Part | undefined {
    if (functionName === "(idle)") return undefined
    if (url.startsWith("wasm://")) return "VM"
    if (functionName === "(garbage collector)") return "GC"
    if (url.includes("/node_modules/jacdac-ts/")) return "jacdac-ts"
    if (/\/sim\/vm\//.test(url)) return "VM host side"
    // (the VM's Emscripten glue is evaluated from the bundle's text, without a URL: em_send_frame ...;
    // the counters' WebAssembly.Global getters, the calls' wrappers across the boundary, instantiation)
    if (url === "" && /^(em_|_?jd_|_devs_|js-to-wasm|wasm-to-js|get value$|set value$|Instance$|\w+LibrarySymbol$|unexportedRuntimeSymbol$)/.test(functionName))
        return "VM host side"
    if (/\/sim\/(plants|robot|hardware|scenarios|clients)\//.test(url)) return "plants and boards"
    if (/\/sim\/(clock|simulation)\.ts$/.test(url) || /\/sim\/bus\//.test(url)) return "clock and bus"
    return "other"
}

interface CpuProfile {
    nodes: { id: number; callFrame: { functionName: string; url: string } }[]
    samples: number[]
    timeDeltas: number[]
}

/** each part's share of the profile's non-idle self time, 0..1 */
export function splitProfile(profile: CpuProfile): Record<Part, number> {
    const partById = new Map(profile.nodes.map(n => [n.id, partOf(n.callFrame.url, n.callFrame.functionName)]))
    const timeUs = Object.fromEntries(PARTS.map(p => [p, 0])) as Record<Part, number>
    let totalUs = 0
    profile.samples.forEach((id, i) => {
        const part = partById.get(id)
        // (a sample's time is the delta to the next one)
        const dtUs = profile.timeDeltas[i + 1] ?? 0
        if (!part) return
        timeUs[part] += dtUs
        totalUs += dtUs
    })
    return Object.fromEntries(PARTS.map(p => [p, totalUs > 0 ? timeUs[p] / totalUs : 0])) as Record<Part, number>
}

/** `run` under the sampling profiler (a sample every 250 µs): its result and the split of its time */
export async function profiled<T>(run: () => Promise<T>): Promise<{ result: T; split: Record<Part, number> }> {
    const session = new Session()
    session.connect()
    try {
        await session.post("Profiler.enable")
        await session.post("Profiler.setSamplingInterval", { interval: 250 })
        await session.post("Profiler.start")
        const result = await run()
        const { profile } = await session.post("Profiler.stop")
        return { result, split: splitProfile(profile as CpuProfile) }
    } finally {
        session.disconnect()
    }
}

/** "VM 44 %, VM host side 9 %, ..." */
export function formatSplit(split: Record<Part, number>): string {
    return PARTS.map(p => `${p} ${Math.round(100 * split[p])} %`).join(", ")
}

/** a warm run's wall milliseconds per simulated board-second, split into the VM's share and the host's */
export interface Shares {
    vmMs: number
    hostMs: number
}

export function sharesOf(msPerBoardSecond: number, split: Record<Part, number>): Shares {
    const vmMs = split.VM * msPerBoardSecond
    return { vmMs, hostMs: msPerBoardSecond - vmMs }
}

/** the wall milliseconds per simulated board-second a real-time factor allows `boards` boards: 1000 / (factor x boards) */
export const allowedMsPerBoardSecond = (targetFactor: number, boards: number) => 1000 / (targetFactor * boards)

/** "10 x allows 7.1 ms/board-s; now the VM 6.7 + the host 7.9: the host alone is over it" */
export function formatBudget(targetFactor: number, allowedMs: number, s: Shares): string {
    return `${targetFactor} x allows ${allowedMs.toFixed(1)} ms/board-s; now the VM ${s.vmMs.toFixed(1)} + the host ${s.hostMs.toFixed(1)}: ${budgetVerdict(allowedMs, s)}`
}

function budgetVerdict(allowedMs: number, s: Shares): string {
    if (s.vmMs + s.hostMs <= allowedMs) return "within it"
    const vmOver = s.vmMs > allowedMs
    const hostOver = s.hostMs > allowedMs
    if (vmOver && hostOver) return "each alone is over it"
    if (vmOver) return "the VM alone is over it"
    if (hostOver) return "the host alone is over it"
    return "together over it"
}
