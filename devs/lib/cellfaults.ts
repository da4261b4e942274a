// Load-cell channel faults: silent (no fresh conversion), stuck (the same raw code again and again:
// a live 24-bit channel never repeats with the cells' noise), saturated (at the ADC's full scale).
// A faulty cell latches until cleared; detection then runs on the remaining cells.
import * as ds from "@devicescript/core"

/** 24-bit signed ADC full scale */
export const ADC_FULL_SCALE = 8388607
export const SILENT_SAMPLES = 10
export const STUCK_SAMPLES = 50
export const SATURATED_SAMPLES = 5

export class CellFaultMonitor {
    /** bit i set while cell i is healthy */
    healthy: number
    /** healthy cells whose last sample can be used: fresh and not at full scale (a cell about to latch a
     * fault must not show up as a load meanwhile) */
    usable: number
    /** the fault code each cell latched (0: none) */
    readonly codes: number[] = []
    private silent: number[] = []
    private same: number[] = []
    private sat: number[] = []
    private last: number[] = []

    constructor(readonly cells: number) {
        this.healthy = (1 << cells) - 1
        this.usable = this.healthy
        for (let i = 0; i < cells; i++) {
            this.codes.push(0)
            this.silent.push(0)
            this.same.push(0)
            this.sat.push(0)
            this.last.push(NaN)
        }
    }

    /** number of usable cells */
    usableCount() {
        let n = 0
        for (let i = 0; i < this.cells; i++) if (this.usable & (1 << i)) n++
        return n
    }

    /** Feeds one sample; returns the index of a cell that faulted with it, or -1. */
    update(raw: number[], ready: number): number {
        const C = ds.BoardFaultCode
        let faulted = -1
        this.usable = this.healthy
        for (let i = 0; i < this.cells; i++) {
            if (!(this.healthy & (1 << i))) continue
            let code = 0
            if (!(ready & (1 << i))) {
                this.usable &= ~(1 << i)
                if (++this.silent[i] >= SILENT_SAMPLES) code = C.LoadCellSilent
            } else {
                this.silent[i] = 0
                const r = raw[i]
                this.same[i] = r === this.last[i] ? this.same[i] + 1 : 0
                this.last[i] = r
                const atFullScale = r >= ADC_FULL_SCALE || r <= -ADC_FULL_SCALE
                this.sat[i] = atFullScale ? this.sat[i] + 1 : 0
                if (atFullScale) this.usable &= ~(1 << i)
                if (this.sat[i] >= SATURATED_SAMPLES) code = C.LoadCellSaturated
                else if (this.same[i] >= STUCK_SAMPLES) code = C.LoadCellStuck
            }
            if (code) {
                this.codes[i] = code
                this.healthy &= ~(1 << i)
                this.usable &= ~(1 << i)
                if (faulted < 0) faulted = i
            }
        }
        return faulted
    }

    /** Forgets every latched fault; a cell still faulty latches again. */
    clear() {
        for (let i = 0; i < this.cells; i++) {
            this.codes[i] = 0
            this.silent[i] = 0
            this.same[i] = 0
            this.sat[i] = 0
        }
        this.healthy = (1 << this.cells) - 1
        this.usable = this.healthy
    }
}
