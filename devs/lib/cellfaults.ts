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
    private usableCells: number
    private healthyCells: number
    /** a healthy cell's silent, repeat or full-scale count is running */
    private counting = false

    constructor(readonly cells: number) {
        this.healthy = (1 << cells) - 1
        this.usable = this.healthy
        this.usableCells = cells
        this.healthyCells = cells
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
        return this.usableCells
    }

    /** Feeds one sample; returns the index of a cell that faulted with it, or -1. */
    update(raw: number[], ready: number): number {
        // One pass of comparisons for every sample; the counters only when a cell is unusual (no
        // conversion, a repeated code, full scale) or still counting. (Locals for fields and no
        // counters on the usual path: this runs on every sample, and the VM finds a field by name.)
        const last = this.last
        let repeated = 0
        let fullScale = 0
        for (let i = 0; i < this.cells; i++) {
            const r = raw[i]
            if (r === last[i]) repeated |= 1 << i
            if (r >= ADC_FULL_SCALE || r <= -ADC_FULL_SCALE) fullScale |= 1 << i
            last[i] = r
        }
        const healthy = this.healthy
        const unusual = ((ready & healthy) ^ healthy) | ((repeated | fullScale) & healthy)
        if (unusual === 0 && !this.counting) {
            this.usable = healthy
            this.usableCells = this.healthyCells
            return -1
        }
        return this.count(ready, repeated, fullScale)
    }

    /** the counters of each healthy cell, after a sample with something unusual in it */
    private count(ready: number, repeated: number, fullScale: number): number {
        const C = ds.BoardFaultCode
        let healthy = this.healthy
        let usable = healthy
        let faulted = -1
        let counting = false
        for (let i = 0; i < this.cells; i++) {
            const bit = 1 << i
            if (!(healthy & bit)) continue
            let code = 0
            if (!(ready & bit)) {
                usable &= ~bit
                if (++this.silent[i] >= SILENT_SAMPLES) code = C.LoadCellSilent
            } else {
                this.silent[i] = 0
                this.same[i] = repeated & bit ? this.same[i] + 1 : 0
                if (fullScale & bit) {
                    usable &= ~bit
                    if (++this.sat[i] >= SATURATED_SAMPLES) code = C.LoadCellSaturated
                } else {
                    this.sat[i] = 0
                    if (this.same[i] >= STUCK_SAMPLES) code = C.LoadCellStuck
                }
            }
            if (code) {
                this.codes[i] = code
                healthy &= ~bit
                usable &= ~bit
                if (faulted < 0) faulted = i
            } else if (this.silent[i] || this.same[i] || this.sat[i]) counting = true
        }
        this.healthy = healthy
        this.healthyCells = bitCount(healthy)
        this.usable = usable
        this.usableCells = bitCount(usable)
        this.counting = counting
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
        this.usableCells = this.cells
        this.healthyCells = this.cells
        this.counting = false
    }
}

function bitCount(mask: number): number {
    let n = 0
    for (; mask; mask &= mask - 1) n++
    return n
}
