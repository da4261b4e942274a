// The fits a bench engineer does by hand, as pure functions: linear least squares, a sine at a known
// frequency, the winding's electrical model from current and voltage, a first-order thermal rise seen
// through a lagging sensor, and Coulomb plus viscous friction.

/** least-squares solution of rows · x ≈ y (normal equations; a handful of unknowns) */
export function leastSquares(rows: readonly number[][], y: readonly number[]): number[] {
    return instrumentalVariables(rows, rows, y)
}

/**
 * x with instrumentsᵀ (rows · x - y) = 0: least squares when the instruments are the rows themselves;
 * with instruments correlated with the rows but not with their noise, the estimate stays unbiased
 * when the regressors are noisy measurements (closed-loop data).
 */
export function instrumentalVariables(rows: readonly number[][], instruments: readonly number[][], y: readonly number[]): number[] {
    const n = rows[0]?.length ?? 0
    if (rows.length < n || n === 0) throw new Error(`fit: ${rows.length} equations for ${n} unknowns`)
    const a = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0))
    rows.forEach((r, k) => {
        const z = instruments[k]
        for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) a[i][j] += z[i] * r[j]
            a[i][n] += z[i] * y[k]
        }
    })
    // Gauss-Jordan with partial pivoting
    for (let c = 0; c < n; c++) {
        let p = c
        for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r
        if (Math.abs(a[p][c]) < 1e-300) throw new Error("fit: the data do not determine every unknown")
        ;[a[c], a[p]] = [a[p], a[c]]
        for (let r = 0; r < n; r++) {
            if (r === c) continue
            const f = a[r][c] / a[c][c]
            for (let j = c; j <= n; j++) a[r][j] -= f * a[c][j]
        }
    }
    return a.map((row, i) => row[n] / row[i])
}

/** the component of `y` at `frequencyHz`: y ≈ offset + re cos(2πft) + im sin(2πft)... as a phasor */
export function sinePhasor(tS: readonly number[], y: readonly number[], frequencyHz: number): { magnitude: number; phaseRad: number } {
    const w = 2 * Math.PI * frequencyHz
    const [c, s] = leastSquares(
        tS.map(t => [Math.cos(w * t), Math.sin(w * t), 1]),
        y
    )
    // y = c cos + s sin = M sin(wt + phase)
    return { magnitude: Math.hypot(c, s), phaseRad: Math.atan2(c, s) }
}

export interface ElectricalFit {
    resistanceOhm: number
    inductanceH: number
    electricalTimeConstantS: number
}

/**
 * Two-stage least squares: each regressor column is first replaced by its least-squares prediction
 * from the instruments, then those predictions serve as instruments for the regression proper.
 */
export function twoStageLeastSquares(rows: readonly number[][], instruments: readonly number[][], y: readonly number[]): number[] {
    const predicted = rows[0].map((_, j) => {
        const beta = leastSquares(instruments, rows.map(r => r[j]))
        return instruments.map(z => z.reduce((sum, zi, i) => sum + zi * beta[i], 0))
    })
    return instrumentalVariables(rows, rows.map((_, k) => predicted.map(col => col[k])), y)
}

/**
 * R and L of the winding from current, bridge voltage and current reference sampled every `periodS`
 * with the output blocked (no back-EMF): the exact discretisation of L di/dt = V - R i under a voltage
 * held over each period is i[k+1] = a i[k] + b v[k] with a = exp(-T R / L), b = (1 - a) / R. The
 * current loop makes v[k] from the noisy i[k], so plain least squares is biased (L by 5-10 % here);
 * the references (noise-free) and the previous period's current and voltage (whose noise is not this
 * period's) are the instruments of a two-stage least-squares fit.
 */
export function fitElectrical(
    records: { currentA: readonly number[]; voltageV: readonly number[]; currentRefA: readonly number[] }[],
    periodS: number
): ElectricalFit {
    const rows: number[][] = []
    const instruments: number[][] = []
    const y: number[] = []
    for (const r of records)
        for (let k = 2; k + 1 < r.currentA.length; k++) {
            rows.push([r.currentA[k], r.voltageV[k], 1])
            instruments.push([r.currentA[k - 1], r.voltageV[k - 1], r.currentRefA[k], r.currentRefA[k - 1], r.currentRefA[k - 2], 1])
            y.push(r.currentA[k + 1])
        }
    const [a, b] = twoStageLeastSquares(rows, instruments, y)
    if (!(a > 0 && a < 1 && b > 0)) throw new Error(`electrical fit: no first-order winding in the data (a=${a}, b=${b})`)
    const resistanceOhm = (1 - a) / b
    const tauS = -periodS / Math.log(a)
    return { resistanceOhm, inductanceH: tauS * resistanceOhm, electricalTimeConstantS: tauS }
}

export interface ThermalFit {
    startC: number
    riseC: number
    timeConstantS: number
    /** of the fitted curve against the measurement */
    rmsErrorC: number
}

/**
 * A first-order rise T = start + rise (1 - e^(-t/tau)) seen through a sensor that lags it by a
 * first-order `sensorLagS`: the measured response of the cascade is fitted for tau (a golden-section
 * search), start and rise (linear least squares at each tau).
 */
export function fitThermalRise(tS: readonly number[], measuredC: readonly number[], sensorLagS: number): ThermalFit {
    const shape = (t: number, tau: number) => laggedRise(t, tau, sensorLagS)
    const solve = (tau: number) => {
        const rows = tS.map(t => [1, shape(t, tau)])
        const [start, rise] = leastSquares(rows, measuredC)
        let sse = 0
        rows.forEach((r, i) => (sse += (start + rise * r[1] - measuredC[i]) ** 2))
        return { start, rise, sse }
    }
    const span = tS[tS.length - 1] - tS[0]
    let lo = Math.max(0.1, sensorLagS / 10)
    let hi = span * 20
    const g = (Math.sqrt(5) - 1) / 2
    for (let i = 0; i < 80; i++) {
        const m1 = hi - g * (hi - lo)
        const m2 = lo + g * (hi - lo)
        if (solve(m1).sse < solve(m2).sse) hi = m2
        else lo = m1
    }
    const tau = (lo + hi) / 2
    const best = solve(tau)
    return { startC: best.start, riseC: best.rise, timeConstantS: tau, rmsErrorC: Math.sqrt(best.sse / tS.length) }
}

/** the unit rise of a first-order system (time constant `tauS`) as a sensor lagging by `lagS` sees it */
export function laggedRise(t: number, tauS: number, lagS: number): number {
    if (Math.abs(tauS - lagS) < 1e-6) tauS += 1e-6
    return 1 - (tauS * Math.exp(-t / tauS) - lagS * Math.exp(-t / lagS)) / (tauS - lagS)
}

export interface FrictionFit {
    coulombNm: number
    viscousNmsPerRad: number
}

/**
 * torque = Fc sign(w) + b w + offset, from points at steady speeds in both directions (the offset
 * takes up what is left of the current sensor's offset)
 */
export function fitFriction(points: readonly { velocityRadS: number; torqueNm: number }[]): FrictionFit {
    const [coulombNm, viscousNmsPerRad] = leastSquares(
        points.map(p => [Math.sign(p.velocityRadS), p.velocityRadS, 1]),
        points.map(p => p.torqueNm)
    )
    return { coulombNm, viscousNmsPerRad }
}

export interface LeverFit {
    outputNmPerA: number
    /** friction at the speed of the moves, in either direction */
    frictionNm: number
}

/**
 * Output torque per amp from slow moves, up and down at one speed, of a lever of known gravity torque
 * `leverNm` (mass × g × length): current · K = leverNm sin(angle from hanging) ± friction. Moving both
 * ways separates friction from K.
 */
export function fitLever(samples: readonly { angleRad: number; velocityRadS: number; currentA: number }[], leverNm: number): LeverFit {
    const [g, c] = leastSquares(
        samples.map(s => [Math.sin(s.angleRad), Math.sign(s.velocityRadS)]),
        samples.map(s => s.currentA)
    )
    const outputNmPerA = leverNm / g
    return { outputNmPerA, frictionNm: c * outputNmPerA }
}

/** the -3 dB frequency of a magnitude response (interpolated on log frequency), or NaN */
export function bandwidthHz(frequencyHz: readonly number[], magnitudeDb: readonly number[]): number {
    for (let i = 1; i < frequencyHz.length; i++)
        if (magnitudeDb[i - 1] > -3 && magnitudeDb[i] <= -3) {
            const f = (-3 - magnitudeDb[i - 1]) / (magnitudeDb[i] - magnitudeDb[i - 1])
            return Math.exp(Math.log(frequencyHz[i - 1]) + f * (Math.log(frequencyHz[i]) - Math.log(frequencyHz[i - 1])))
        }
    return NaN
}

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
export const rms = (xs: readonly number[]) => Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length)
export const std = (xs: readonly number[]) => {
    const m = mean(xs)
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1))
}
