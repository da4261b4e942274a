import { UsageError } from "../errors.ts"
import type { Scenario } from "./scenario.ts"
import { footGait } from "./foot-gait.ts"
import { servoDemo } from "./servo-demo.ts"

export const SCENARIOS: readonly Scenario[] = [servoDemo, footGait]

export function findScenario(name: string | undefined): Scenario {
    const s = SCENARIOS.find(x => x.name === name)
    if (!s) {
        const list = SCENARIOS.map(x => `  ${x.name.padEnd(16)} ${x.description}`).join("\n")
        throw new UsageError(`${name ? `unknown scenario '${name}'` : "no scenario given"}; accepted scenarios:\n${list}`)
    }
    return s
}
