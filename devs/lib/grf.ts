// Ground reaction force and centre of pressure from the cells' forces and positions.

export class GroundReaction {
    totalN = 0
    copXMm = NaN
    copYMm = NaN

    /** cell positions in the sole frame (x toward the toe, y toward the outer side) */
    constructor(
        readonly xMm: number[],
        readonly yMm: number[]
    ) {}

    /** Sums the healthy cells (bit i of `healthy`) into `totalN` and returns it: every sample. */
    update(cellsN: number[], healthy: number): number {
        let total = 0
        const n = cellsN.length
        for (let i = 0; i < n; i++) if (healthy & (1 << i)) total += cellsN[i]
        this.totalN = total
        return total
    }

    /**
     * The centre of pressure of `cellsN`, into copXMm and copYMm, when every cell is healthy and the
     * total is at least `copMinForceN`; otherwise NaN. Only where it is used (the reports, 25 a
     * second), not every sample.
     */
    centreOfPressure(cellsN: number[], healthy: number, copMinForceN: number) {
        const n = cellsN.length
        let total = 0
        let mx = 0
        let my = 0
        for (let i = 0; i < n; i++) {
            const f = cellsN[i]
            total += f
            mx += f * this.xMm[i]
            my += f * this.yMm[i]
        }
        if (healthy === (1 << n) - 1 && total >= copMinForceN) {
            this.copXMm = mx / total
            this.copYMm = my / total
        } else {
            this.copXMm = NaN
            this.copYMm = NaN
        }
    }
}

/** Total force for contact detection: the healthy cells' sum scaled up for the missing ones. */
export function detectionForceN(totalHealthyN: number, healthyCount: number, cells: number): number {
    return healthyCount > 0 ? (totalHealthyN * cells) / healthyCount : 0
}
