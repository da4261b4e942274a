// The four load cells under a sole and their 24-bit ADC. Each cell carries its share of the ground
// force (split by the centre of pressure over the cells at the sole's corners) and, always, the sole
// plate below it: its weight and, in swing, its inertia as the foot accelerates. On top come the
// cell's imperfections: noise, zero drift with temperature, creep under load, ringing of the sole at
// touchdown, and saturation at the ADC's full scale. Faults can be injected per cell.
import type { Random } from "../random.ts"
import { DeltaSigmaAdc } from "./delta-sigma-adc.ts"

export const CELLS = 4
/** cell positions from the sole centre, mm: 0 heel outer, 1 heel inner, 2 toe outer, 3 toe inner */
export const CELL_X_MM = [-90, -90, 90, 90]
export const CELL_Y_MM = [40, -40, 40, -40]
export const ADC_FULL_SCALE = 8388607
const GRAVITY_MPS2 = 9.81
/** decay times after which the sole's ringing is over */
const RING_OUT_DECAYS = 30

export type CellFault = "none" | "silent" | "stuck" | "saturated"

export interface LoadCellParams {
    /** noise sigma per cell, of a conversion at 1 kHz (the ADC scales it with its data rate) */
    noiseN: number
    /** largest zero drift rate of a cell; each cell drifts at a seeded 50-100 % of it, either way */
    driftNPerMin: number
    /** creep, percent of the load reached after creepTimeS under constant load */
    creepPct: number
    creepTimeS: number
    /** the cells' full scale (150 % of their 500 N rating) */
    fullScaleN: number
    soleMassKg: number
    /** amplitude of the touchdown ringing of the sole (all cells together) */
    ringingN: number
    ringingDecayS: number
    ringingMinHz: number
    ringingMaxHz: number
}

export interface LoadCellInputs {
    forceN: number
    copXMm: number
    copYMm: number
    /** the sole's acceleration along its normal (0 in stance) */
    soleAccelMps2: number
}

/** Splits `forceN` at (copX, copY) over the four corner cells (bilinear, the CoP kept inside them). */
export function distribute(forceN: number, copXMm: number, copYMm: number, out: number[]) {
    const a = CELL_X_MM[2]
    const b = CELL_Y_MM[0]
    const u = (Math.max(-a, Math.min(a, copXMm)) + a) / (2 * a)
    const v = (Math.max(-b, Math.min(b, copYMm)) + b) / (2 * b)
    out[0] = forceN * (1 - u) * v
    out[1] = forceN * (1 - u) * (1 - v)
    out[2] = forceN * u * v
    out[3] = forceN * u * (1 - v)
}

export class LoadCells {
    /** what each cell carries at its element, newtons (before noise and the ADC) */
    readonly elementN = [0, 0, 0, 0]
    readonly driftN = [0, 0, 0, 0]
    readonly creepN = [0, 0, 0, 0]
    /** offset added to every cell (a re-mounted sole, for the tare test) */
    offsetN = 0
    fault: { cell: number; kind: CellFault } = { cell: -1, kind: "none" }
    private driftRateNPerS: number[]
    private loadN = [0, 0, 0, 0]
    private ringAmpN = 0
    private ringHz = 0
    private ringT = 0
    private lastCounts = [0, 0, 0, 0]
    /** the cells' ADC, converting the elements' forces at its data rate */
    readonly adc: DeltaSigmaAdc

    constructor(
        readonly p: LoadCellParams,
        noise: Random,
        private events: Random
    ) {
        this.adc = new DeltaSigmaAdc({ channels: CELLS, countsPerN: ADC_FULL_SCALE / p.fullScaleN, fullScaleCounts: ADC_FULL_SCALE, noiseN: p.noiseN }, noise)
        this.driftRateNPerS = this.driftN.map(() => {
            const sign = events.uniform() < 0.5 ? -1 : 1
            return (sign * (0.5 + 0.5 * events.uniform()) * p.driftNPerMin) / 60
        })
    }

    /** the sole starts ringing (at touchdown) */
    ring() {
        this.ringAmpN = this.p.ringingN
        this.ringHz = this.p.ringingMinHz + (this.p.ringingMaxHz - this.p.ringingMinHz) * this.events.uniform()
        this.ringT = 0
    }

    step(dtS: number, u: LoadCellInputs) {
        distribute(u.forceN, u.copXMm, u.copYMm, this.loadN)
        const creepRate = 3 / this.p.creepTimeS // ~95 % of the creep reached after creepTimeS
        const k = Math.min(1, creepRate * dtS)
        let ringN = 0
        if (this.ringAmpN !== 0) {
            this.ringT += dtS
            ringN = this.ringAmpN * Math.exp(-this.ringT / this.p.ringingDecayS) * Math.sin(2 * Math.PI * this.ringHz * this.ringT)
            // rung out (e^-30 of its amplitude: far below a count of the ADC): until the next touchdown
            if (this.ringT > RING_OUT_DECAYS * this.p.ringingDecayS) this.ringAmpN = 0
        }
        // the sole plate hangs from the cells: its weight and its inertia (the ground carries it in stance)
        const plateN = u.forceN > 0 ? -this.p.soleMassKg * GRAVITY_MPS2 : -this.p.soleMassKg * (GRAVITY_MPS2 + u.soleAccelMps2)
        // (what every cell shares, and the arrays, read once: this runs every 50 µs)
        const sharedN = (plateN + ringN) / CELLS
        const creepShare = this.p.creepPct / 100
        const offsetN = this.offsetN
        const { loadN, driftN, creepN, elementN, driftRateNPerS } = this
        for (let i = 0; i < CELLS; i++) {
            driftN[i] += driftRateNPerS[i] * dtS
            creepN[i] += k * (creepShare * loadN[i] - creepN[i])
            elementN[i] = loadN[i] + creepN[i] + driftN[i] + sharedN + offsetN
        }
        this.adc.step(dtS * 1e6, elementN)
    }

    /**
     * What a read of the cells' ADC returns: the newest conversion's counts of cells 0..3 and the DRDY
     * bits (the conversions themselves: `adc`), with the injected channel fault applied.
     */
    read(): { counts: number[]; ready: number } {
        const { codes: counts, drdy } = this.adc.read()
        let ready = drdy
        const { cell, kind } = this.fault
        if (cell >= 0) {
            // a silent channel converts no more: its bit is clear and its register holds the last code
            if (kind === "silent") {
                ready &= ~(1 << cell)
                counts[cell] = this.lastCounts[cell]
            }
            else if (kind === "stuck") counts[cell] = this.lastCounts[cell]
            else if (kind === "saturated") counts[cell] = ADC_FULL_SCALE
        }
        this.lastCounts = counts
        return { counts, ready }
    }
}
