// The bench run's self-contained HTML report: the pass/fail summary, the board's identity, firmware
// hash and settings, each protocol's metrics and checks, and its plots (step responses, Bode plot,
// friction curve, thermal curve, loop-period histogram).
import { renderPage, type PageSection } from "../../sim/report/page.ts"
import type { BenchRun } from "./protocol.ts"

export function renderBenchReport(run: BenchRun): string {
    const sections: PageSection[] = [
        {
            heading: "Summary",
            keyValues: {
                result: run.passed ? "PASS" : "FAIL",
                protocol: run.protocol,
                target: run.target,
                joint: run.jointId,
                wallSeconds: run.wallSeconds,
                ...(run.plant ? { simulatedPlant: run.plant } : {}),
            },
            rows: run.results.map(r => ({
                protocol: r.protocol,
                status: r.status,
                checks: `${(r.checks ?? []).filter(c => c.pass).length}/${(r.checks ?? []).length} passed`,
                jointDisabledAtEnd: r.finalMode === 0,
                error: r.error ?? "",
                pass: r.status === "passed",
            })),
        },
    ]
    if (run.identity) {
        const { settings, ...id } = run.identity
        sections.push({ heading: "Board", keyValues: id }, { heading: "Settings on the board", keyValues: settings })
    }
    for (const r of run.results) {
        const { steps, points, ...scalars } = (r.metrics ?? {}) as Record<string, unknown>
        sections.push({
            heading: `${r.protocol}: ${r.status}`,
            text: [r.fault ? `stopped by a board fault: ${r.fault}` : "", r.error && !r.fault ? `error: ${r.error}` : ""].filter(Boolean).join("\n") || undefined,
            keyValues: { rig: r.rig ? JSON.stringify(r.rig) : "", ...scalars, jointDisabledAtEnd: r.finalMode === 0 },
            rows: (r.checks ?? []).map(c => ({ check: c.name, value: c.value, unit: c.unit, limit: c.limit, pass: c.pass })),
            plots: r.plots ?? [],
        })
        const table = (steps ?? points) as Record<string, unknown>[] | undefined
        if (table?.length) sections.push({ heading: `${r.protocol}: ${steps ? "per amplitude" : "measured points"}`, rows: table })
    }
    return renderPage({ title: `bench ${run.protocol}: ${run.jointId} on ${run.target}`, sections })
}
