import { UsageError } from "../errors.ts"
import type { Scenario } from "./scenario.ts"
import { faults } from "./faults.ts"
import { garbage } from "./garbage.ts"
import { footGait } from "./foot-gait.ts"
import { jointImpedance } from "./joint-impedance.ts"
import { jointStep } from "./joint-step.ts"
import { jointTrack } from "./joint-track.ts"
import { robotWalk } from "./robot-walk.ts"
import { servoDemo } from "./servo-demo.ts"

export const SCENARIOS: readonly Scenario[] = [robotWalk, jointStep, jointTrack, jointImpedance, faults, garbage, footGait, servoDemo]

export function findScenario(name: string | undefined): Scenario {
    const s = SCENARIOS.find(x => x.name === name)
    if (!s) {
        const list = SCENARIOS.map(x => `  ${x.name.padEnd(16)} ${x.description}`).join("\n")
        throw new UsageError(`${name ? `unknown scenario '${name}'` : "no scenario given"}; accepted scenarios:\n${list}`)
    }
    return s
}
