// `hfw sim serve --board joint --joint ID --port P [--settings FILE | --unprovisioned]`: one simulated
// board on 127.0.0.1:P until interrupted. Port 0 picks a free port; the listening line on stderr
// names it.
import { UsageError } from "../sim/errors.ts"
import { ROBOT_JOINTS } from "../sim/robot/joints.ts"
import { serveJointBoard } from "../sim/serve/served-joint.ts"
import { readJointSettingsFile, settingsFileOf, SettingsError } from "./joint-settings-file.ts"
import { parseFlags } from "./options.ts"

export const SERVE_USAGE = "hfw sim serve --board joint --joint ID --port P [--settings FILE | --unprovisioned]"

export async function runServeCommand(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            board: { type: "string" },
            joint: { type: "string" },
            port: { type: "string" },
            settings: { type: "string" },
            unprovisioned: { type: "boolean" },
        },
        SERVE_USAGE
    )
    if (values.board === "foot")
        throw new UsageError("--board foot cannot be served yet (only the joint board has a served rig so far); accepted: joint")
    if (values.board !== "joint") throw new UsageError(`--board '${values.board ?? ""}' is not accepted; accepted: joint\nusage: ${SERVE_USAGE}`)
    const joint = ROBOT_JOINTS.find(j => j.name === values.joint)
    if (!joint) throw new UsageError(`--joint '${values.joint ?? ""}' is not accepted; accepted: ${ROBOT_JOINTS.map(j => j.name).join(", ")}`)
    const port = Number(values.port)
    if (values.port === undefined || !(Number.isInteger(port) && port >= 0 && port < 65536))
        throw new UsageError(`--port '${values.port ?? ""}' is not accepted; a TCP port from 1 to 65535 (0: any free port)`)
    if (values.settings && values.unprovisioned) throw new UsageError("--settings and --unprovisioned exclude each other")

    let provisioned: { jointId: string; values: Record<string, number> } | undefined
    if (!values.unprovisioned) {
        try {
            provisioned = readJointSettingsFile(values.settings ?? settingsFileOf(joint.name))
        } catch (e) {
            if (e instanceof SettingsError) {
                process.stderr.write(`hfw: ${e.message}\n`)
                return 1
            }
            throw e
        }
    }
    const served = await serveJointBoard({
        name: joint.name,
        actuator: joint.actuator,
        provisioned,
        port,
        onLog: line => process.stderr.write(`[board] ${line}\n`),
        onError: message => process.stderr.write(`hfw: ${message}\n`),
    })
    const what = provisioned ? `provisioned as ${provisioned.jointId}` : "unprovisioned"
    process.stderr.write(
        `serving a simulated joint board (${joint.actuator} actuator, ${what}) on tcp:127.0.0.1:${served.port}, in wall-clock time; Ctrl-C stops\n`
    )
    await new Promise<void>(resolve => {
        process.once("SIGINT", resolve)
        process.once("SIGTERM", resolve)
    })
    await served.close()
    return 0
}
