// What a sweep runs: every combination of a range of seeds and lists of parameter values, in one
// fixed order (parameter values outermost, in the order given; seeds innermost), each combination
// numbered. A shard I/N takes the combinations whose number is I-1 modulo N, so N machines split a
// sweep without talking to each other, and each shard gets some of every parameter setting.
import { UsageError } from "../errors.ts"
import { COMMON_PARAMS, resolveParams } from "../params.ts"
import { findScenario } from "../scenarios/index.ts"

const MAX_SEED = 2 ** 32 - 1
/** more combinations than this is a typing slip, not a sweep (a night on many machines is some thousands; the report lists every run) */
export const MAX_RUNS = 20_000

export interface SweepPlan {
    scenario: string
    /** first and last seed, both included */
    seeds: [number, number]
    /** each swept parameter's values, in the order given on the command line */
    params: Record<string, string[]>
    /** the simulated duration of each run; the scenario's own when absent */
    durationS?: number
}

export interface Shard {
    /** 1-based */
    index: number
    count: number
}

/** one run of the sweep: its number in the whole sweep, its seed and its parameter values */
export interface Combination {
    run: number
    seed: number
    params: Record<string, string>
}

export const SEEDS_ACCEPTED = "A-B (whole numbers, 0 <= A <= B <= 4294967295) or a single seed N"

/** "1-16" -> [1, 16]; "7" -> [7, 7] */
export function parseSeeds(text: string): [number, number] {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text)
    const a = m ? Number(m[1]) : NaN
    const b = m ? Number(m[2] ?? m[1]) : NaN
    if (!(a <= b && b <= MAX_SEED)) throw new UsageError(`--seeds '${text}' is not accepted; ${SEEDS_ACCEPTED}`)
    return [a, b]
}

/** ["steps=2,4", "noiseN=1"] -> { steps: ["2", "4"], noiseN: ["1"] } */
export function parseParamLists(items: readonly string[]): Record<string, string[]> {
    const out: Record<string, string[]> = {}
    for (const item of items) {
        const eq = item.indexOf("=")
        const key = item.slice(0, eq).trim()
        const values = item.slice(eq + 1).split(",").map(v => v.trim())
        if (eq <= 0 || values.some(v => v === ""))
            throw new UsageError(`--param '${item}' is not accepted; key=v1,v2,... (one value or several, separated by commas, none empty)`)
        if (key in out) throw new UsageError(`--param ${key} is given twice; give all its values in one: ${key}=v1,v2,...`)
        out[key] = values
    }
    return out
}

/** "2/4" -> { index: 2, count: 4 } */
export function parseShard(text: string): Shard {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
    const index = m ? Number(m[1]) : NaN
    const count = m ? Number(m[2]) : NaN
    if (!(index >= 1 && index <= count))
        throw new UsageError(`--shard '${text}' is not accepted; I/N with whole numbers 1 <= I <= N (the I-th of N shards, e.g. 1/4)`)
    return { index, count }
}

export const runCount = (plan: SweepPlan) => Object.values(plan.params).reduce((n, vs) => n * vs.length, plan.seeds[1] - plan.seeds[0] + 1)

/**
 * Checks the plan against its scenario before anything runs: the scenario exists, every parameter
 * value is one it accepts (the same check `hfw sim --param` makes), the sweep is not absurdly large.
 */
export function checkPlan(plan: SweepPlan) {
    const scenario = findScenario(plan.scenario)
    const specs = { ...COMMON_PARAMS, ...scenario.params }
    for (const [key, values] of Object.entries(plan.params)) for (const v of values) resolveParams(specs, [`${key}=${v}`])
    const n = runCount(plan)
    if (n > MAX_RUNS) throw new UsageError(`the sweep has ${n} runs; at most ${MAX_RUNS} are accepted (fewer seeds or parameter values)`)
}

/** the combinations of the whole sweep, numbered in order */
export function combinations(plan: SweepPlan): Combination[] {
    let settings: Record<string, string>[] = [{}]
    for (const [key, values] of Object.entries(plan.params)) settings = settings.flatMap(s => values.map(v => ({ ...s, [key]: v })))
    const out: Combination[] = []
    for (const params of settings) for (let seed = plan.seeds[0]; seed <= plan.seeds[1]; seed++) out.push({ run: out.length, seed, params })
    return out
}

/** the combinations shard `shard` runs (all of them without a shard) */
export const inShard = (all: Combination[], shard?: Shard) => (shard ? all.filter(c => c.run % shard.count === shard.index - 1) : all)

/** the `hfw sim` command that runs one combination on its own, exactly as the sweep ran it */
export function simCommand(plan: SweepPlan, c: Combination): string {
    return commandLine([plan.scenario, "--seed", String(c.seed), ...durationWords(plan), ...paramFlags(c.params)])
}

/** the `hfw sim sweep` command of the whole sweep (without --workers, --shard and --out, which do not change its rows) */
export function sweepCommand(plan: SweepPlan): string {
    const [a, b] = plan.seeds
    const lists = Object.fromEntries(Object.entries(plan.params).map(([k, vs]) => [k, vs.join(",")]))
    return commandLine(["sweep", plan.scenario, "--seeds", a === b ? `${a}` : `${a}-${b}`, ...durationWords(plan), ...paramFlags(lists)])
}

const durationWords = (plan: SweepPlan) => (plan.durationS === undefined ? [] : ["--duration", String(plan.durationS)])
const paramFlags = (params: Record<string, string>) => Object.entries(params).flatMap(([k, v]) => ["--param", `${k}=${v}`])
const commandLine = (simWords: string[]) => ["hfw", "sim", ...simWords].map(shellWord).join(" ")

/** a word as a POSIX shell reads it back (quoted when it holds anything but safe characters) */
const shellWord = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)

/** the --param words of one combination, for runScenario */
export const paramWords = (c: Combination) => Object.entries(c.params).map(([k, v]) => `${k}=${v}`)
