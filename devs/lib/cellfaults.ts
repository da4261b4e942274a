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
    // (the fields every sample reads first: the VM finds a field by scanning an object's fields in order)
    private last: number[] = []
    /** bit i set while cell i is healthy */
    healthy = 0
    /** a healthy cell's silent, repeat or full-scale count is running */
    private counting = false
    /** healthy cells whose last sample can be used: fresh and not at full scale (a cell about to latch a
     * fault must not show up as a load meanwhile) */
    usable = 0
    /** number of usable cells (usableCount(), as a field for the per-sample path) */
    usableCells = 0
    private healthyCells = 0
    /** the fault code each cell latched (0: none) */
    readonly codes: number[] = []
    private silent: number[] = []
    private same: number[] = []
    private sat: number[] = []

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

    /**
     * Feeds `m` one sample; returns the index of a cell that faulted with it, or -1. Static, called
     * with the monitor: it runs on every sample, and the VM finds an instance's method only after
     * comparing its name with each of the object's fields as strings (objects.c `lookup`).
     */
    static update(m: CellFaultMonitor, raw: number[], ready: number): number {
        // One pass of comparisons for every sample; the counters only when a cell is unusual (no
        // conversion, a repeated code, full scale) or still counting. (Locals for fields and no
        // counters on the usual path: this runs on every sample, and the VM finds a field by name.)
        const last = m.last
        const cells = m.cells
        let repeated = 0
        let fullScale = 0
        for (let i = 0; i < cells; i++) {
            const r = raw[i]
            if (r === last[i]) repeated |= 1 << i
            if (r >= ADC_FULL_SCALE || r <= -ADC_FULL_SCALE) fullScale |= 1 << i
            last[i] = r
        }
        const healthy = m.healthy
        const unusual = ((ready & healthy) ^ healthy) | ((repeated | fullScale) & healthy)
        if (unusual === 0 && !m.counting) {
            m.usable = healthy
            m.usableCells = m.healthyCells
            return -1
        }
        return CellFaultMonitor.count(m, ready, repeated, fullScale)
    }

    /** the counters of each healthy cell, after a sample with something unusual in it */
    private static count(m: CellFaultMonitor, ready: number, repeated: number, fullScale: number): number {
        const C = ds.BoardFaultCode
        let healthy = m.healthy
        let usable = healthy
        let faulted = -1
        let counting = false
        for (let i = 0; i < m.cells; i++) {
            const bit = 1 << i
            if (!(healthy & bit)) continue
            let code = 0
            if (!(ready & bit)) {
                usable &= ~bit
                if (++m.silent[i] >= SILENT_SAMPLES) code = C.LoadCellSilent
            } else {
                m.silent[i] = 0
                m.same[i] = repeated & bit ? m.same[i] + 1 : 0
                if (fullScale & bit) {
                    usable &= ~bit
                    if (++m.sat[i] >= SATURATED_SAMPLES) code = C.LoadCellSaturated
                } else {
                    m.sat[i] = 0
                    if (m.same[i] >= STUCK_SAMPLES) code = C.LoadCellStuck
                }
            }
            if (code) {
                m.codes[i] = code
                healthy &= ~bit
                usable &= ~bit
                if (faulted < 0) faulted = i
            } else if (m.silent[i] || m.same[i] || m.sat[i]) counting = true
        }
        m.healthy = healthy
        m.healthyCells = bitCount(healthy)
        m.usable = usable
        m.usableCells = bitCount(usable)
        m.counting = counting
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
