// Faster code for the counted VM module's hot spots, each counting exactly what the code it replaces
// counted (done after the counting, counting.ts): the same program, the same counts wherever the host
// reads them, so the same trace hashes. Each checks that the stock module's code is what it was written
// for (@devicescript/cli 2.16.4) and refuses anything else.
import { childSlots, outermostLoop, type Binaryen } from "./wasm-tree.ts"

type Module = ReturnType<Binaryen["readBinary"]>

/**
 * The interpreter (`interpreterName`) calls the handler of each opcode through the function table
 * (`call_indirect`: a bounds check, a signature check and an indirect call, about two million a
 * second in a walk). Each such call in the interpreter becomes a `br_table` over the table's entries of the call's signature,
 * each a direct call of that entry's function, and the original call for any other index (which traps
 * as it did: a wrong signature or an index out of the table). The same program: the same trace hashes
 * in six scenarios; five robot-walk 6 s runs in 0.971-0.985 of the wall time (farm-bench, four pairings
 * of 8 to 16 pairs). (Letting binaryen then inline the handlers into the arms was no faster.) Done
 * after the counting, so the new code counts nothing and each handler counts as before. Exported for
 * the tests.
 */
export function withDirectDispatch(B: Binaryen, m: Module, interpreterName: string) {
    if (m.getNumElementSegments() !== 1) throw new Error(`the bundled VM module has ${m.getNumElementSegments()} element segments, not one: sim/vm/fast-paths.ts is written for @devicescript/cli 2.16.4`)
    const segment = B.getElementSegmentInfo(m.getElementSegmentByIndex(0))
    const firstIndex = Number((B.getExpressionInfo(segment.offset) as unknown as { value: number }).value)
    const interpreter = m.getFunction(interpreterName)
    let sites = 0
    const direct = (call: number, site: number): number => {
        const params = B.CallIndirect.getParams(call)
        const results = B.CallIndirect.getResults(call)
        // the operands and the index, each evaluated once, in order, into locals
        const types = B.expandType(params)
        const args = types.map(t => B._BinaryenFunctionAddVar(interpreter, t))
        const index = B._BinaryenFunctionAddVar(interpreter, B.i32)
        const evaluate = [
            ...types.map((_, i) => m.local.set(args[i], B.CallIndirect.getOperandAt(call, i))),
            m.local.set(index, B.CallIndirect.getTarget(call)),
        ]
        const argValues = () => types.map((t, i) => m.local.get(args[i], t))
        const entries = segment.data
            .map((name, i) => ({ name, index: firstIndex + i, info: B.getFunctionInfo(m.getFunction(name)) }))
            // (binaryen interns types: one signature, one type)
            .filter(e => e.info.params === params && e.info.results === results)
        if (!entries.length) return call
        const lowest = entries[0].index
        const done = `hfw_dispatched_${site}`
        const other = `hfw_other_entry_${site}`
        const arm = (index: number) => `hfw_entry_${site}_${index}`
        const labels = Array.from({ length: entries[entries.length - 1].index - lowest + 1 }, (_, i) =>
            entries.some(e => e.index === lowest + i) ? arm(lowest + i) : other
        )
        let dispatch = m.switch(labels, other, m.i32.sub(m.local.get(index, B.i32), m.i32.const(lowest)))
        for (const e of entries)
            dispatch = m.block(null, [m.block(arm(e.index), [dispatch]), m.call(e.name, argValues(), results), m.br(done)])
        const fallback = m.call_indirect(B.CallIndirect.getTable(call), m.local.get(index, B.i32), argValues(), params, results)
        return m.block(done, [...evaluate, m.block(null, [m.block(other, [dispatch]), fallback])], B.none)
    }
    const stack = [B.getFunctionInfo(interpreter).body]
    while (stack.length) {
        const e = stack.pop()!
        for (const slot of childSlots(B, B.getExpressionId(e), e)) {
            const child = slot.get()
            if (B.getExpressionId(child) === B.CallIndirectId && B.CallIndirect.getResults(child) === B.none) slot.set(direct(child, sites++))
            else stack.push(child)
        }
    }
    if (!sites) throw new Error(`the bundled VM module's '${interpreterName}' calls no handler through its table: sim/vm/fast-paths.ts is written for @devicescript/cli 2.16.4`)
}

const squeezed = (text: string) => text.replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")").trim()

/**
 * The one loop of function `name`, as counted: checked against `template` (its text, `$W` for the
 * function's work local and K1, K2, ... for the loop's charges to it, in order), with the work local
 * and the charges it holds, and the way to put other code in its place.
 */
function countedLoop(B: Binaryen, m: Module, name: string, template: string, what: string) {
    const changed = (problem: string) => new Error(`the bundled VM module's '${name}' ${problem}: sim/vm/fast-paths.ts is written for @devicescript/cli 2.16.4`)
    const f = m.getFunction(name)
    if (!f) throw changed("is missing")
    const body = B.getFunctionInfo(f).body
    const loop = outermostLoop(B, body)
    if (loop === undefined) throw changed("has no loop")
    // A counted loop's body starts with a charge, (local.set $W (i32.add (local.get $W) (i32.const K))):
    // its local is the work local, and every set of it in the body a charge (the template checks their
    // shape and place)
    const loopBody = B.Loop.getBody(loop)
    const children = B.getExpressionId(loopBody) === B.BlockId ? Array.from({ length: B.Block.getNumChildren(loopBody) }, (_, i) => B.Block.getChildAt(loopBody, i)) : []
    const isSet = (c: number) => B.getExpressionId(c) === B.LocalSetId && B.getExpressionId(B.LocalSet.getValue(c)) === B.BinaryId
    const workLocal = children.length && isSet(children[0]) ? B.LocalSet.getIndex(children[0]) : -1
    const charges = children.filter(c => isSet(c) && B.LocalSet.getIndex(c) === workLocal)
    const counts = charges.map(c => Number((B.getExpressionInfo(B.Binary.getRight(B.LocalSet.getValue(c))) as unknown as { value: number }).value))
    let expected = template.replace(/\$W/g, `$${workLocal}`)
    counts.forEach((k, i) => (expected = expected.replace(`K${i + 1}`, String(k))))
    if (squeezed(B.emitText(loop)) !== squeezed(expected)) throw changed(`has another loop than ${what}`)
    return {
        workLocal,
        counts,
        replaceWith(code: number) {
            const stack = [body]
            while (stack.length) {
                const e = stack.pop()!
                for (const slot of childSlots(B, B.getExpressionId(e), e)) {
                    if (slot.get() === loop) return slot.set(code)
                    stack.push(slot.get())
                }
            }
            throw changed("loop was not found under its body")
        },
        loop,
    }
}

/** musl's memset (emscripten's C library) stores the bulk of a fill 32 bytes a loop iteration; that loop, counted */
const MEMSET_LOOP = `(loop $label (local.set $W (i32.add (local.get $W) (i32.const K1)))
    (i64.store $0 offset=24 (local.get $1) (local.get $6)) (i64.store $0 offset=16 (local.get $1) (local.get $6))
    (i64.store $0 offset=8 (local.get $1) (local.get $6)) (i64.store $0 (local.get $1) (local.get $6))
    (local.set $1 (i32.add (local.get $1) (i32.const 32)))
    (br_if $label (i32.gt_u (local.tee $2 (i32.add (local.get $2) (i32.const -32))) (i32.const 31))))`

/**
 * memset's 32-byte loop as one `memory.fill` of the same bytes, with the loop's count added at once
 * (K1 times its iterations): the same memory, the same counts. The loop is entered with at least 32
 * bytes left ($2) and runs while more than 31 are, so it runs $2 / 32 times (rounded down) and fills
 * $2 & -32 bytes from $1 with the byte in $6 (the byte repeated, as an i64). The allocator fills every
 * free block it marks (the stock runtime: `mark_block`, the rest of each block an allocation splits
 * included), so this loop was 2.8 % of a walk's profile; five robot-walk 6 s runs 0.975 of the wall
 * time (10 pairs). Exported for the tests.
 */
export function withNativeFill(B: Binaryen, m: Module) {
    const { workLocal, counts, replaceWith } = countedLoop(B, m, "__memset", MEMSET_LOOP, "musl's 32-byte one")
    const get = (i: number) => m.local.get(i, B.i32)
    const bytes = () => m.i32.and(get(2), m.i32.const(-32))
    replaceWith(
        m.block(null, [
            m.local.set(workLocal, m.i32.add(get(workLocal), m.i32.mul(m.i32.const(counts[0]), m.i32.shr_u(get(2), m.i32.const(5))))),
            m.memory.fill(get(1), m.i32.wrap(m.local.get(6, B.i64)), bytes()),
            m.local.set(1, m.i32.add(get(1), bytes())),
            m.local.set(2, m.i32.and(get(2), m.i32.const(31))),
        ], B.none)
    )
}

/** the value of a byte of the wasm build's flash that nothing has written */
const ERASED_BYTE = 0x37
/**
 * The wasm build's flash (the runtime's emulation of it) saved: flash_sync scans the flash image back
 * from its end, a byte an iteration, past the bytes still erased, then saves what is left. That loop,
 * counted ($0 the image, $1 the bytes left to scan):
 */
const FLASH_SCAN_LOOP = `(loop $label (local.set $W (i32.add (local.get $W) (i32.const K1)))
    (br_if $block (i32.lt_s (local.tee $2 (i32.add (local.get $1) (i32.const -1))) (i32.const 0)))
    (local.set $W (i32.add (local.get $W) (i32.const K2)))
    (local.set $1 (local.get $2))
    (br_if $label (i32.eq (i32.load8_u $0 (i32.add (local.get $0) (local.get $2))) (i32.const ${ERASED_BYTE}))))`
/** eight erased bytes, as one i64 */
const ERASED_BYTES = BigInt(ERASED_BYTE) * 0x0101010101010101n

/**
 * flash_sync's scan first steps back eight bytes at a time while all eight are erased (ERASED_BYTES),
 * adding what the byte loop counts for them (8 (K1 + K2)), then the byte loop goes on from there as
 * before: the same bytes saved, the same counts. Each joint saves its 128 KB flash at its first boot, a scan of most of
 * it: some 11 ms of a robot-walk run's wall time; five robot-walk 6 s runs 0.982 (10 pairs). Exported
 * for the tests.
 */
export function withFastFlashScan(B: Binaryen, m: Module) {
    const { workLocal, counts, replaceWith, loop } = countedLoop(B, m, "flash_sync", FLASH_SCAN_LOOP, "the erased-byte scan")
    const get = (i: number) => m.local.get(i, B.i32)
    const done = "hfw_scanned"
    // (binaryen.js takes a bigint here; its type declarations still say two halves)
    const erased = (m.i64.const as unknown as (value: bigint) => number)(ERASED_BYTES)
    const step = "hfw_scan"
    const skip = m.block(done, [
        m.loop(step, m.block(null, [
            m.br(done, m.i32.lt_s(get(1), m.i32.const(8))),
            m.br(done, m.i64.ne(m.i64.load(0, 1, m.i32.sub(m.i32.add(get(0), get(1)), m.i32.const(8))), erased)),
            m.local.set(1, m.i32.sub(get(1), m.i32.const(8))),
            m.local.set(workLocal, m.i32.add(get(workLocal), m.i32.const(8 * (counts[0] + counts[1])))),
            m.br(step),
        ], B.none)),
    ], B.none)
    replaceWith(m.block(null, [skip, loop], B.none))
}
