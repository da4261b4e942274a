// A joint board as `hfw watch` shows it: the joint actuator's telemetry report (services/jointactuator.md)
// through the bench's BenchJoint, which only listens here: current and its reference, angle,
// velocity, winding temperature and loop timing plotted; mode and fault in the status line.
import { enumName } from "../../sim/services.ts"
import type { BenchSession } from "../bench/targets.ts"
import type { Telemetry } from "../bench/bench-joint.ts"
import type { BoardWatch, WatchPlot } from "./board-watch.ts"

/** the telemetry fields recorded to MCAP, each a number (mode and fault as their codes) */
export const JOINT_FIELDS = ["currentA", "currentRefA", "angleRad", "velocityRadS", "torqueNm", "windingC", "loopPeriodMeanUs", "loopPeriodP99DevUs", "overruns", "mode", "fault"] as const

export const JOINT_PLOTS: readonly WatchPlot[] = [
    { title: "current", yLabel: "current (A)", fields: ["currentRefA", "currentA"] },
    { title: "angle", yLabel: "angle (rad)", fields: ["angleRad"] },
    { title: "velocity", yLabel: "velocity (rad/s)", fields: ["velocityRadS"] },
    { title: "winding temperature", yLabel: "temperature (°C)", fields: ["windingC"] },
    { title: "loop timing", yLabel: "period (µs)", fields: ["loopPeriodMeanUs", "loopPeriodP99DevUs"] },
]

/** The joint of `session`, watched; closing it closes the session. */
export function watchJoint(session: BenchSession): BoardWatch {
    const w: BoardWatch = {
        kind: "joint",
        id: session.identity.jointId,
        topic: `${session.identity.jointId}/telemetry`,
        fields: JOINT_FIELDS,
        plots: JOINT_PLOTS,
        status: [
            { id: "mode", label: "mode" },
            { id: "fault", label: "fault" },
        ],
        close: () => session.close(),
    }
    session.joint.onTelemetryReport = (t: Telemetry) =>
        w.onSample?.({
            tMs: t.tMs,
            values: JOINT_FIELDS.map(f => t[f]),
            status: { mode: enumName("jointactuator", "Mode", t.mode), fault: t.fault ? enumName("boardfault", "Code", t.fault) : "none" },
        })
    return w
}
