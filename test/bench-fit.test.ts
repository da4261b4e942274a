// The calibration round trip: a bench run of a perturbed actuator, fitted, gives its parameters back,
// and the fitted simulator replays the run closer than the unfitted one. (A file of its own: the
// longest test of the suite, so it runs beside the others.)
import fs from "node:fs"
import path from "node:path"
import { describe, expect, test } from "vitest"
import { fitPlant, readBenchRun } from "../tools/bench/calibrate.ts"
import { compareRun } from "../tools/bench/fit-command.ts"
import { runBench } from "../tools/bench/run-bench.ts"
import { IDEAL } from "./helpers.ts"
import { FIRMWARE_LOOP_SETTINGS, relErr, tmp } from "./bench-fixtures.ts"

describe("calibration round trip", () => {
    // the actuator on the bench differs from its settings by up to 30 %
    const truth: Record<string, number> = {
        "act.resistanceOhm": 0.12 * 1.25,
        "act.inductanceUh": 80 * 0.75,
        "act.ktNmPerA": 0.1 * 0.85,
        "act.coulombNm": 1.0 * 1.3,
        "act.viscousNmsPerRad": 0.05 * 0.8,
        "act.thermalResistanceKPerW": 1.5 * 1.2,
        "act.thermalTimeConstantS": 60 * 1.25,
    }
    const dir = tmp()
    test("bench, fit: every parameter within 5 % (friction 10 %); the fitted simulator replays the bench run", async () => {
        await runBench({
            protocol: "step,sweep,torque-constant,friction,thermal",
            target: "sim",
            jointId: "left_knee",
            settingsFile: FIRMWARE_LOOP_SETTINGS,
            params: [IDEAL, ...Object.entries(truth).map(([k, v]) => `${k}=${v}`)],
            outDir: dir,
        })
        const fit = fitPlant(readBenchRun(dir))
        expect(fit.missing).toEqual([])
        for (const [k, v] of Object.entries(truth))
            expect(relErr(fit.params[k], v), `${k}: fitted ${fit.params[k]}, true ${v}`).toBeLessThan(/friction|coulomb|viscous/i.test(k) ? 0.1 : 0.05)

        const paramsFile = path.join(dir, "params.json")
        fs.writeFileSync(paramsFile, JSON.stringify(fit.params))
        const fitted = await compareRun(dir, paramsFile)
        expect(fitted.captures).toBeGreaterThan(40)
        expect(Math.abs(fitted.bandwidthDifferenceHz!)).toBeLessThan(5)
        // against the unfitted simulator (the settings' figures) the same run disagrees more
        const defaults = path.join(dir, "defaults.json")
        fs.writeFileSync(defaults, "{}")
        const unfitted = await compareRun(dir, defaults)
        expect(fitted.currentRmsErrorA).toBeLessThan(unfitted.currentRmsErrorA)
        // the thermal fit replays the winding's heating: the settings' thermal figures are 20-25 % off
        expect(fitted.ntcRmsErrorC).toBeLessThan(unfitted.ntcRmsErrorC / 2)
        expect(Math.abs(unfitted.bandwidthDifferenceHz!)).toBeGreaterThan(Math.abs(fitted.bandwidthDifferenceHz!))
    }, 240_000)
})
