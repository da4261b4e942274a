// The bench run's self-contained HTML report: the pass/fail summary, the board's identity, firmware
// hash and settings, each protocol's metrics and checks, and its plots (step responses, Bode plot,
// friction curve, thermal curve, loop-period histogram).
import { renderPage, type PageSection } from "../../sim/report/page.ts"
import type { BenchRun } from "./run-bench.ts"

export function renderBenchReport(run: BenchRun): string {
    const sections: PageSection[] = [
        {
            heading: "Summary",
            table: {
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
        sections.push({ heading: "Board", table: id }, { heading: "Settings on the board", table: settings })
    }
    for (const r of run.results) {
        const { steps, points, ...scalars } = (r.metrics ?? {}) as Record<string, unknown>
        sections.push({
            heading: `${r.protocol}: ${r.status}`,
            pre: r.error,
            table: { rig: r.rig ? JSON.stringify(r.rig) : "", ...scalars },
            rows: [
                ...((steps as Record<string, unknown>[]) ?? []),
                ...((points as Record<string, unknown>[]) ?? []),
                ...(r.checks ?? []).map(c => ({ check: c.name, value: c.value, unit: c.unit, limit: c.limit, pass: c.pass })),
            ],
            plots: r.plots ?? [],
        })
    }
    return renderPage({ title: `bench ${run.protocol}: ${run.jointId} on ${run.target}`, sections })
}
