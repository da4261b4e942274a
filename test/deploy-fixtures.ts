// What the interrupted-deploy tests share: a served left knee provisioned with its settings file (the
// old settings), the new settings and program a deploy writes over them, and the board's own word on
// what it holds, read over a connection of its own.
import fs from "node:fs"
import { createHash } from "node:crypto"
import { JDBus } from "jacdac-ts"
import { bytecodePath } from "../sim/firmware.ts"
import { TcpFrameTransport } from "../sim/net/tcp-transport.ts"
import { serveJointBoard, type ServedJoint } from "../sim/serve/served-joint.ts"
import { JOINT_SETTING_KEY, encodeJointSettings } from "../devs/joint/settings-schema.ts"
import { FIND_WAIT_MS, findDeviceScriptBoards, managerOf, readManagerState, readSetting, settingsOf, type ManagerState } from "../tools/deploy/board-link.ts"
import type { DeployRequest } from "../tools/deploy/deploy.ts"
import { readJointSettingsFile } from "../tools/joint-settings-file.ts"
import { settingsFileOf } from "../tools/settings-file.ts"
import { IDEAL_TARGET } from "./helpers.ts"
import { isPipeData } from "./frame-relay.ts"

export const bytecode = () => fs.readFileSync(bytecodePath("joint"))
export const sha256Of = (b: Uint8Array) => createHash("sha256").update(b).digest("hex")
export const oldSettings = () => readJointSettingsFile(settingsFileOf("left_knee"))
export const newSettings = () => {
    const s = oldSettings()
    s.values.telemetryMs = 100
    return s
}
/** the settings as the board stores them (JSON text) */
export const stored = (s: { values: Record<string, number> }) => JSON.stringify(encodeJointSettings("left_knee", s.values))

/**
 * A served left knee (provisioned with its settings file, or not), in `open` to be closed after the
 * test. target=ideal: what a deploy leaves on a board does not depend on the board's timing, and
 * these protocol tests run the board paced to the wall clock (test/helpers.ts IDEAL).
 */
export async function serveKnee(open: { close(): Promise<void> }[], provisioned = true): Promise<ServedJoint> {
    const served = await serveJointBoard({ name: "bench", actuator: "large", provisioned: provisioned ? oldSettings() : undefined, port: 0, target: IDEAL_TARGET })
    open.push(served)
    return served
}

/** a deploy of the left knee's new settings to 127.0.0.1:`port` */
export const request = (port: number, over: Partial<DeployRequest> = {}): DeployRequest => ({
    board: "joint",
    jointId: "left_knee",
    settings: newSettings(),
    bytecode: bytecode(),
    host: "127.0.0.1",
    port,
    reprovision: false,
    log: () => {},
    ...over,
})

/** what the board itself reports, over a connection of its own: its manager's state and stored settings */
export async function boardSays(port: number): Promise<ManagerState & { settings: string | undefined }> {
    const bus = new JDBus([new TcpFrameTransport("127.0.0.1", port)], { client: false, disableRoleManager: true })
    try {
        await bus.connect()
        const [dev] = await findDeviceScriptBoards(bus, FIND_WAIT_MS)
        return { ...(await readManagerState(managerOf(dev))), settings: await readSetting(settingsOf(dev), JOINT_SETTING_KEY) }
    } finally {
        await bus.stop()
    }
}

/**
 * A point of a deploy a test interrupts it at: when deploy logs a line matching `atLog` (a step
 * starting, or verify's first check), or before the deploy's `atPipeFrame`-th packet of the program's
 * bytes; the step that then fails, and the last one the board acknowledged.
 */
export interface DeployPoint {
    at: string
    atLog?: RegExp
    atPipeFrame?: number
    step: RegExp
    acknowledged: string
}

export const DEPLOY_POINTS = {
    beforeProgramWrite: { at: "before the program write", atLog: /write the program/, step: /^write the program/, acknowledged: "stop the program" },
    // about half of the program's packets (224 bytes each)
    midProgramWrite: { at: "in the middle of the program write", atPipeFrame: 60, step: /^write the program/, acknowledged: "stop the program" },
    beforeSettings: {
        at: "before the settings",
        atLog: /write the settings/,
        step: /^write the settings of left_knee/,
        acknowledged: `write the program (${bytecode().length} bytes)`,
    },
    beforeStart: { at: "before the start", atLog: /start the program/, step: /^start the program/, acknowledged: "write the settings of left_knee" },
    duringVerify: { at: "during verify, after the program's SHA-256 matched", atLog: /program sha256 .* matches/, step: /^verify/, acknowledged: "start the program" },
} satisfies Record<string, DeployPoint>

/** `act` at `point`: give `log` to the deploy and `beforeFrame` to the frameRelay it goes through */
export function actAt(point: DeployPoint, act: () => void) {
    let pipeFrames = 0
    return {
        log: (line: string) => point.atLog?.test(line) && act(),
        beforeFrame: (f: Uint8Array) => point.atPipeFrame && isPipeData(f) && ++pipeFrames === point.atPipeFrame && act(),
    }
}
