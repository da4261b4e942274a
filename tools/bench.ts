// `npm run bench`: the simulator's speed figures (design/targets.md), measured now on this machine.
// Benchmarks, not tests: they print figures and assert nothing.
//
// Each case runs with the target timing model on (target=esp32, what the targets count) and with
// target=ideal (the simulator without it), each in a process of its own: its first run is cold, as
// `hfw sim` runs it (in one process for all, a case ran after the others had warmed the JIT on the
// code they share: robot-walk's "cold" figure, 7.7 x, was 6.8 x in a fresh process). The run is then
// repeated in that process, as a sweep's worker runs its seeds after its first: the host's JIT goes on
// compiling the simulator over its first few runs (a joint-step sweep's rows in one worker: 53, 70,
// 93, then 116-129 x), so the warm figure is the median of WARM_RUNS runs after WARM_UP_RUNS more.
// The two targets do different work: under the model the boards run when the stock runtime would
// let them and as much as their chips could, so their firmware may run fewer periods (or hang) where
// ideal runs every one. The ideal column against an older build is the cost of counting the VM's work.
// Under the model, one more warm run under V8's sampling profiler says where the time goes and how
// fast the case could run if the host cost nothing (tools/bench-split.ts).
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { runScenario } from "../sim/run.ts"
import { allowedMsPerBoardSecond, formatBudget, formatSplit, profiled, sharesOf, type Part } from "./bench-split.ts"

/** each case, and the real-time factor it targets (design/targets.md), if any */
const CASES: { label: string; scenario: string; params: string[]; durationS: number; targetFactor?: number }[] = [
    { label: "joint-step, 1 VM (chip loop, 100 Hz)", scenario: "joint-step", params: [], durationS: 10, targetFactor: 100 },
    { label: "joint-step, 1 VM (firmware loop 1 kHz)", scenario: "joint-step", params: ["currentLoop=firmware"], durationS: 10 },
    { label: "servo-demo, 1 VM (minimal 1 kHz loop)", scenario: "servo-demo", params: [], durationS: 10 },
    { label: "servo-demo, 14 VMs", scenario: "servo-demo", params: ["boards=14"], durationS: 5 },
    { label: "foot-gait, 1 VM (stock tick, 100 Hz)", scenario: "foot-gait", params: ["steps=100"], durationS: 10 },
    { label: "robot-walk, 14 boards (chip loop, 100 Hz)", scenario: "robot-walk", params: [], durationS: 6, targetFactor: 10 },
    { label: "robot-walk, 14 boards (firmware loop 1 kHz)", scenario: "robot-walk", params: ["currentLoop=firmware"], durationS: 4, targetFactor: 10 },
]

/** runs of a case after its first, in the same process, before the warm runs */
const WARM_UP_RUNS = 3
/** runs of a case measured warm: their median is reported */
const WARM_RUNS = 3
const CELL = 80

type Case = (typeof CASES)[number]

/** what one case measures on one target, in this process */
interface Figures {
    wallSeconds: number
    realTimeFactor: number
    /** over the run after its first simulated second */
    afterFirstFactor: number
    msPerBoardSecond: number
    warmRealTimeFactor: number
    warmMsPerBoardSecond: number
    boards: number
    panics: number
    /** where one more warm run's wall time went (target=esp32 only: what the targets count) */
    split?: Record<Part, number>
}

async function measure(c: Case, target: string): Promise<Figures> {
    // the wall clock when the first simulated second is done: the boards' boot and the host's
    // warm-up (its JIT compiling the simulator's code) are in that second
    let afterFirstSecondMs = NaN
    const run = { scenario: c.scenario, params: [...c.params, `target=${target}`], durationS: c.durationS }
    const r = await runScenario({
        ...run,
        onProgress: simS => {
            if (simS >= 1 && Number.isNaN(afterFirstSecondMs)) afterFirstSecondMs = performance.now()
        },
    })
    const afterFirstFactor = (c.durationS - 1) / ((performance.now() - afterFirstSecondMs) / 1000)
    const warmRuns: (typeof r)[] = []
    for (let i = 0; i < WARM_UP_RUNS + WARM_RUNS; i++) {
        const again = await runScenario(run)
        if (again.traceHash !== r.traceHash) throw new Error(`${c.label}: a warm run's trace hash differs from the first run's (the run is not a function of its inputs)`)
        if (i >= WARM_UP_RUNS) warmRuns.push(again)
    }
    const warm = warmRuns.sort((a, b) => a.realTimeFactor - b.realTimeFactor)[Math.floor(WARM_RUNS / 2)]
    const split = target === "esp32" ? await profiledSplit(c, run, r.traceHash) : undefined
    // host time per simulated board-second: what sizing a machine for N boards needs
    const msPerBoardSecond = (result: typeof r) => (1000 * result.wallSeconds) / (result.simSeconds * result.boards)
    return {
        wallSeconds: r.wallSeconds,
        realTimeFactor: r.realTimeFactor,
        afterFirstFactor,
        msPerBoardSecond: msPerBoardSecond(r),
        warmRealTimeFactor: warm.realTimeFactor,
        warmMsPerBoardSecond: msPerBoardSecond(warm),
        boards: r.boards,
        panics: r.panics,
        split,
    }
}

/** one more warm run under the sampling profiler: where its time went */
async function profiledSplit(c: Case, run: Parameters<typeof runScenario>[0], traceHash: string): Promise<Record<Part, number>> {
    const { result, split } = await profiled(() => runScenario(run))
    if (result.traceHash !== traceHash) throw new Error(`${c.label}: the profiled run's trace hash differs from the first run's`)
    return split
}

/** `measure` in a fresh process (this file, with `--one CASE TARGET`): its figures are its output's last line */
function measureInFreshProcess(caseIndex: number, target: string): Figures {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--one", String(caseIndex), target], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    })
    // (a library the run uses may print lines of its own before it)
    return JSON.parse(out.trimEnd().split("\n").pop()!) as Figures
}

function cell(f: Figures): string {
    const hung = f.panics ? ` ${f.panics} hung` : ""
    const ms = (v: number) => v.toFixed(1).padStart(5)
    const first = `${f.wallSeconds.toFixed(2).padStart(6)} s wall ${String(f.realTimeFactor).padStart(6)} x (${f.afterFirstFactor.toFixed(1).padStart(5)} x) ${ms(f.msPerBoardSecond)} ms/board-s`
    return `${first}, warm ${String(f.warmRealTimeFactor).padStart(6)} x ${ms(f.warmMsPerBoardSecond)}${hung}`.padStart(CELL)
}

const one = process.argv.indexOf("--one")
if (one >= 0) {
    const [caseIndex, target] = process.argv.slice(one + 1)
    process.stdout.write(JSON.stringify(await measure(CASES[Number(caseIndex)], target)) + "\n")
    process.exit(0)
}

/**
 * `npm run bench [-- SCENARIO ...]`: the cases of those scenarios (all by default); a name that is no
 * case's scenario is refused with the ones there are
 */
function chosenCases(names: string[]): number[] {
    const scenarios = [...new Set(CASES.map(c => c.scenario))]
    const unknown = names.filter(n => !scenarios.includes(n))
    if (unknown.length) {
        process.stderr.write(`npm run bench: no case of ${unknown.map(n => `'${n}'`).join(", ")}; the scenarios benchmarked: ${scenarios.join(", ")}\n`)
        process.exit(2)
    }
    return CASES.flatMap((c, i) => (names.length === 0 || names.includes(c.scenario) ? [i] : []))
}

const chosen = chosenCases(process.argv.slice(2))
process.stderr.write("measuring (one core, each case and target in a process of its own) ...\n")
const rows: string[] = [`${"".padEnd(50)} ${"target=esp32".padStart(CELL)}   ${"target=ideal".padStart(CELL)}`]
const splits: string[] = []
chosen.forEach(i => {
    const c = CASES[i]
    const figures = ["esp32", "ideal"].map(target => measureInFreshProcess(i, target))
    const line = `${`${c.label} (${c.durationS} s)`.padEnd(50)} ${figures.map(cell).join("   ")}  ${c.targetFactor ? `(target >= ${c.targetFactor})` : ""}`
    rows.push(line)
    process.stderr.write(line + "\n")
    const { split, warmRealTimeFactor, warmMsPerBoardSecond, boards } = figures[0]
    if (split) {
        const shares = sharesOf(warmMsPerBoardSecond, split)
        splits.push(
            `${c.label.padEnd(50)} ${formatSplit(split)}; the VM alone ${shares.vmMs.toFixed(1)} ms/board-s: ` +
                `at most ${(warmRealTimeFactor / split.VM).toFixed(1)} x with no host cost`
        )
        if (c.targetFactor) splits.push(`${"".padEnd(50)} ${formatBudget(c.targetFactor, allowedMsPerBoardSecond(c.targetFactor, boards), shares)}`)
    }
})
process.stdout.write(
    [
        "realTimeFactor = simulated seconds / wall seconds, excluding start-up, of a case's first run in a fresh process; in brackets, over the run after its first simulated second",
        "(the boards' boot and the host's warm-up); ms/board-s = wall milliseconds per simulated second of one board, whole run;",
        `warm = the median of ${WARM_RUNS} more of the same run after ${1 + WARM_UP_RUNS} in this process (same trace hash), as a sweep's worker runs its later seeds`,
        ...rows,
        "",
        "where a warm run's wall time goes (target=esp32; one more warm run under the sampling profiler, self time, idle excluded),",
        "and for a case with a target, the wall milliseconds per board-second it allows against the warm run's VM and host shares:",
        ...splits,
    ].join("\n") + "\n"
)
