// `npm run bench`: the simulator's speed figures (design/targets.md), measured now on this machine.
// Benchmarks, not tests: they print figures and assert nothing.
import { runScenario } from "../sim/run.ts"

const CASES: { label: string; scenario: string; params: string[]; durationS: number; target: string }[] = [
    { label: "joint-step, 1 VM at 1 kHz", scenario: "joint-step", params: [], durationS: 10, target: ">= 100" },
    { label: "joint-step, 1 VM at 500 Hz", scenario: "joint-step", params: ["loopHz=500"], durationS: 10, target: "" },
    { label: "servo-demo, 1 VM (minimal 1 kHz loop)", scenario: "servo-demo", params: [], durationS: 10, target: "" },
    { label: "servo-demo, 14 VMs", scenario: "servo-demo", params: ["boards=14"], durationS: 5, target: "" },
    { label: "robot-walk, 14 boards, joints 500 Hz", scenario: "robot-walk", params: [], durationS: 6, target: ">= 5" },
    { label: "robot-walk, 14 boards, joints at 1 kHz", scenario: "robot-walk", params: ["loopHz=1000"], durationS: 4, target: ">= 5" },
]

process.stderr.write("measuring (one core) ...\n")
const rows: string[] = []
for (const c of CASES) {
    const r = await runScenario({ scenario: c.scenario, params: c.params, durationS: c.durationS })
    const line = `${c.label.padEnd(40)} ${String(r.simSeconds).padStart(5)} s sim  ${r.wallSeconds.toFixed(2).padStart(6)} s wall  ${String(r.realTimeFactor).padStart(6)} x real time  ${c.target ? `(target ${c.target})` : ""}`
    rows.push(line)
    process.stderr.write(line + "\n")
}
process.stdout.write(["realTimeFactor = simulated seconds / wall seconds, excluding start-up", ...rows].join("\n") + "\n")
