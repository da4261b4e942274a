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

    /**
     * Sums the healthy cells (bit i of `healthy`) and, when all of them are healthy and the total is at
     * least `copMinForceN`, computes the centre of pressure; otherwise it is NaN. Returns the total.
     */
    update(cellsN: number[], healthy: number, copMinForceN: number): number {
        let total = 0
        let mx = 0
        let my = 0
        const n = cellsN.length
        for (let i = 0; i < n; i++) {
            if (!(healthy & (1 << i))) continue
            const f = cellsN[i]
            total += f
            mx += f * this.xMm[i]
            my += f * this.yMm[i]
        }
        this.totalN = total
        const all = (1 << n) - 1
        if (healthy === all && total >= copMinForceN) {
            this.copXMm = mx / total
            this.copYMm = my / total
        } else {
            this.copXMm = NaN
            this.copYMm = NaN
        }
        return total
    }
}

/** Total force for contact detection: the healthy cells' sum scaled up for the missing ones. */
export function detectionForceN(totalHealthyN: number, healthyCount: number, cells: number): number {
    return healthyCount > 0 ? (totalHealthyN * cells) / healthyCount : 0
}
