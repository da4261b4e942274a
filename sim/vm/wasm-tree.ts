// Walking and editing a WebAssembly module's expression trees with binaryen.js: what the VM's
// counting (counting.ts), its fast paths (fast-paths.ts) and the lookup probe (lookup-probe.ts) share.

/** binaryen.js, with the expression wrappers its type declarations leave out */
export type Binaryen = typeof import("binaryen").default & {
    Loop: { getBody(loop: number): number; setBody(loop: number, body: number): void }
    If: { setIfTrue(e: number, arm: number): void; setIfFalse(e: number, arm: number): void }
    Function: { setBody(f: number, body: number): void }
    Block: {
        insertChildAt(block: number, index: number, child: number): void
        getNumChildren(block: number): number
        getChildAt(block: number, index: number): number
        setChildAt(block: number, index: number, child: number): void
    }
    Call: {
        setTarget(call: number, target: string): void
        getTarget(call: number): string
        getNumOperands(call: number): number
        getOperandAt(call: number, index: number): number
        setOperandAt(call: number, index: number, operand: number): void
    }
    CallIndirect: {
        getTarget(call: number): number
        setTarget(call: number, target: number): void
        getTable(call: number): string
        getParams(call: number): number
        getResults(call: number): number
        getOperandAt(call: number, index: number): number
    }
    Return: { getValue(ret: number): number; setValue(ret: number, value: number): void }
    LocalSet: { getIndex(set: number): number; getValue(set: number): number }
    Binary: { getRight(binary: number): number }
    /** adds a local to a function, and gives its index (the C API's BinaryenFunctionAddVar) */
    _BinaryenFunctionAddVar(func: number, type: number): number
}

/**
 * A VM module read for editing: its name section kept (CPU profiles of the simulator then name the VM's
 * functions) and binaryen's features those Node 20 accepts (it rejects what binaryen emits with every
 * feature on).
 */
export function readModule(B: Binaryen, wasm: Uint8Array): ReturnType<Binaryen["readBinary"]> {
    B.setDebugInfo(true)
    const m = B.readBinary(wasm)
    m.setFeatures(B.Features.MVP | B.Features.SignExt | B.Features.MutableGlobals | B.Features.BulkMemory | B.Features.BulkMemoryOpt | B.Features.NontrappingFPToInt)
    return m
}

/** an expression's children (childSlots, read) */
export const childrenOf = (B: Binaryen, id: number, e: number): number[] => childSlots(B, id, e).map(slot => slot.get())

/** expression info, or undefined for the kinds binaryen.js cannot describe (they have no children here) */
export function infoOf(B: Binaryen, expr: number): Record<string, unknown> | undefined {
    try {
        return B.getExpressionInfo(expr) as unknown as Record<string, unknown>
    } catch {
        return undefined
    }
}

/** an expression's children, each with the way to put another in its place */
export function childSlots(B: Binaryen, id: number, e: number): { get(): number; set(x: number): void }[] {
    const slot = (get: () => number, set: (x: number) => void) => ({ get, set })
    const opt = (get: () => number, set: (x: number) => void) => (get() ? [slot(get, set)] : [])
    const X = B as unknown as Record<string, Record<string, (...a: number[]) => number>>
    const fields = (kind: string, names: string[]) =>
        names.flatMap(n => opt(() => X[kind][`get${n}`](e), x => X[kind][`set${n}`](e, x)))
    const operands = (kind: string) =>
        Array.from({ length: X[kind].getNumOperands(e) }, (_, i) => slot(() => X[kind].getOperandAt(e, i), x => X[kind].setOperandAt(e, i, x)))
    switch (id) {
        case B.BlockId:
            return Array.from({ length: B.Block.getNumChildren(e) }, (_, i) => slot(() => B.Block.getChildAt(e, i), x => B.Block.setChildAt(e, i, x)))
        case B.IfId: return fields("If", ["Condition", "IfTrue", "IfFalse"])
        case B.LoopId: return fields("Loop", ["Body"])
        case B.BreakId: return fields("Break", ["Value", "Condition"])
        case B.SwitchId: return fields("Switch", ["Value", "Condition"])
        case B.CallId: return operands("Call")
        case B.CallIndirectId: return [...operands("CallIndirect"), ...fields("CallIndirect", ["Target"])]
        case B.LocalSetId: return fields("LocalSet", ["Value"])
        case B.GlobalSetId: return fields("GlobalSet", ["Value"])
        case B.LoadId: return fields("Load", ["Ptr"])
        case B.StoreId: return fields("Store", ["Ptr", "Value"])
        case B.UnaryId: return fields("Unary", ["Value"])
        case B.BinaryId: return fields("Binary", ["Left", "Right"])
        case B.SelectId: return fields("Select", ["IfTrue", "IfFalse", "Condition"])
        case B.DropId: return fields("Drop", ["Value"])
        case B.ReturnId: return fields("Return", ["Value"])
        case B.MemoryGrowId: return fields("MemoryGrow", ["Delta"])
        case B.MemoryFillId: return fields("MemoryFill", ["Dest", "Value", "Size"])
        case B.MemoryCopyId: return fields("MemoryCopy", ["Dest", "Source", "Size"])
        case B.ConstId: case B.LocalGetId: case B.GlobalGetId: case B.NopId: case B.UnreachableId: case B.MemorySizeId:
            return []
        default:
            throw new Error(`sim/vm/wasm-tree.ts: the VM module holds an expression it does not know (id ${id}); it is written for @devicescript/cli 2.16.4`)
    }
}

/** the first loop met walking down from `root` (the interpreter's per-opcode loop) */
export function outermostLoop(B: Binaryen, root: number): number | undefined {
    const queue = [root]
    while (queue.length) {
        const e = queue.shift()!
        const id = B.getExpressionId(e)
        if (id === B.LoopId) return e
        queue.push(...childrenOf(B, id, e))
    }
    return undefined
}
