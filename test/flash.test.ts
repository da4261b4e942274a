// hfw flash --dry-run: the commands a flash would run, none run.
import { spawnSync } from "node:child_process"
import path from "node:path"
import { expect, test } from "vitest"
import { REPO_ROOT } from "../sim/firmware.ts"

const hfw = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, "tools", "hfw.mjs"), ...args], { cwd: REPO_ROOT, encoding: "utf8" })

test("flash --dry-run prints the runtime flash for the board's configuration, the bridge and the deploy through it", () => {
    const r = hfw("flash", "--board", "foot", "--joint", "left_foot", "--port", "/dev/ttyACM0", "--dry-run")
    expect(r.status).toBe(0)
    const lines = r.stdout.trim().split("\n")
    expect(lines[0]).toMatch(/devicescript-cli\.cjs flash esp32 --board humanoid_foot --port \/dev\/ttyACM0$/)
    expect(lines[1]).toMatch(/devicescript-cli\.cjs devtools --serial &$/)
    expect(lines[2]).toMatch(/hfw\.mjs deploy --board foot --joint left_foot --target tcp:127\.0\.0\.1:8082$/)
})

test("flash refuses an unknown board kind and names the accepted ones", () => {
    const r = hfw("flash", "--board", "elbow", "--joint", "x", "--dry-run")
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("--board 'elbow' is not accepted; accepted: joint, foot")
})
