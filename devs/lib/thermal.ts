// First-order winding temperature estimate from i^2 R losses: C dT/dt = P - (T - T_ambient) / R_th,
// with the thermal time constant tau = R_th C. Integrated exactly over each measured period.

export class WindingThermalModel {
    tempC: number

    constructor(
        public resistanceOhm: number,
        public thermalResistanceKPerW: number,
        public timeConstantS: number,
        public ambientC: number
    ) {
        this.tempC = ambientC
    }

    update(currentA: number, dtS: number): number {
        const powerW = currentA * currentA * this.resistanceOhm
        const steadyC = this.ambientC + powerW * this.thermalResistanceKPerW
        const decay = Math.exp(-dtS / this.timeConstantS)
        this.tempC = steadyC + (this.tempC - steadyC) * decay
        return this.tempC
    }
}

/**
 * Current limit derated linearly from `limitA` at `derateFromC` to 0 at `tripC`.
 */
export function deratedCurrentLimit(limitA: number, tempC: number, derateFromC: number, tripC: number): number {
    if (tempC <= derateFromC) return limitA
    if (tempC >= tripC) return 0
    return (limitA * (tripC - tempC)) / (tripC - derateFromC)
}
