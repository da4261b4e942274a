import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { ADC_FULL_SCALE, CellFaultMonitor, SATURATED_SAMPLES, SILENT_SAMPLES, STUCK_SAMPLES } from "./cellfaults"

function run(m: CellFaultMonitor, samples: number, cell: (i: number) => number, ready: number): number {
    let faulted = -1
    for (let i = 0; i < samples; i++) {
        const f = CellFaultMonitor.update(m, [i, cell(i), -i, i * 3], ready)
        if (f >= 0) faulted = f
    }
    return faulted
}

describe("cell fault monitor", () => {
    test("healthy changing cells raise nothing", () => {
        const m = new CellFaultMonitor(4)
        expect(run(m, STUCK_SAMPLES + 5, i => i * 7, 15)).toBe(-1)
        expect(m.usableCount()).toBe(4)
    })
    test("a channel with no fresh conversion goes silent", () => {
        const m = new CellFaultMonitor(4)
        expect(run(m, SILENT_SAMPLES, i => i, 15 & ~2)).toBe(1)
        expect(m.codes[1]).toBe(ds.BoardFaultCode.LoadCellSilent)
        expect(m.healthy).toBe(13)
    })
    test("a repeated code is stuck, a full-scale code saturated", () => {
        const m = new CellFaultMonitor(4)
        expect(run(m, STUCK_SAMPLES + 1, i => 1234, 15)).toBe(1)
        expect(m.codes[1]).toBe(ds.BoardFaultCode.LoadCellStuck)
        const s = new CellFaultMonitor(4)
        expect(run(s, SATURATED_SAMPLES, i => ADC_FULL_SCALE, 15)).toBe(1)
        expect(s.codes[1]).toBe(ds.BoardFaultCode.LoadCellSaturated)
        expect(s.usableCount()).toBe(3)
    })
    test("a cell at full scale is unusable at once, before its fault latches", () => {
        const m = new CellFaultMonitor(4)
        CellFaultMonitor.update(m, [ADC_FULL_SCALE, 1, 2, 3], 15)
        expect(m.healthy).toBe(15)
        expect(m.usable).toBe(14)
    })
    test("clear makes every cell healthy again", () => {
        const m = new CellFaultMonitor(4)
        run(m, SILENT_SAMPLES, i => i, 0)
        expect(m.healthy).toBe(0)
        m.clear()
        expect(m.healthy).toBe(15)
    })
})
