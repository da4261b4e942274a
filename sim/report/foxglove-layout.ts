// A Foxglove layout for a robot-walk trace (import it in Foxglove: Layouts, Import from file): per
// joint a plot of the commanded against the measured angle, the legs side by side; under them, per
// foot, the contact state the board reported and the force, true against reported. Every path names
// a channel and a field of the trace the run wrote (the test reads them back).

interface PlotPath {
    value: string
    label: string
}

const plot = (title: string, paths: PlotPath[]) => ({
    title,
    paths: paths.map(p => ({ ...p, enabled: true, timestampMethod: "receiveTime" })),
    showXAxisLabels: true,
    showYAxisLabels: true,
    showLegend: true,
    legendDisplay: "floating",
    isSynced: true,
    xAxisVal: "timestamp",
})

const stateTransitions = (paths: PlotPath[]) => ({ paths: paths.map(p => ({ ...p, timestampMethod: "receiveTime" })), isSynced: true })

type Tree = string | { first: Tree; second: Tree; direction: "row" | "column"; splitPercentage: number }

/** panels side by side (row) or stacked (column), each an equal share */
function split(ids: Tree[], direction: "row" | "column"): Tree {
    if (ids.length === 1) return ids[0]
    return { first: ids[0], second: split(ids.slice(1), direction), direction, splitPercentage: 100 / ids.length }
}

export interface WalkLayoutInput {
    /** joint names by leg, "left_knee"; their channel is /<name>/joint */
    legs: string[][]
    /** foot board names, "left_foot"; channels /<name>/board and /<name>/plant */
    feet: string[]
}

export function robotWalkLayout(d: WalkLayoutInput) {
    const configById: Record<string, unknown> = {}
    const legColumns = d.legs.map(joints =>
        split(
            joints.map(j => {
                const id = `Plot!${j}`
                configById[id] = plot(`${j}: commanded and measured angle (rad)`, [
                    { value: `/${j}/joint.referenceRad`, label: "commanded" },
                    { value: `/${j}/joint.angleRad`, label: "measured" },
                ])
                return id
            }),
            "column"
        )
    )
    configById["StateTransitions!contact"] = stateTransitions(d.feet.map(f => ({ value: `/${f}/board.state`, label: `${f} contact state` })))
    const forces = d.feet.map(f => {
        const id = `Plot!${f}_force`
        configById[id] = plot(`${f}: ground reaction force (N)`, [
            { value: `/${f}/plant.forceN`, label: "true" },
            { value: `/${f}/board.totalForceN`, label: "reported" },
        ])
        return id
    })
    const feetRow = split(["StateTransitions!contact", ...forces], "row")
    return {
        configById,
        globalVariables: {},
        userNodes: {},
        playbackConfig: { speed: 1 },
        layout: { first: split(legColumns, "row"), second: feetRow, direction: "column", splitPercentage: 75 },
    }
}

/** every message path a layout names ("/left_knee/joint.angleRad") */
export function layoutPaths(layout: ReturnType<typeof robotWalkLayout>): string[] {
    return Object.values(layout.configById).flatMap(c => (c as { paths: { value: string }[] }).paths.map(p => p.value))
}
