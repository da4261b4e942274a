// Counts the work each DeviceScript VM does, deterministically, by instrumenting the WebAssembly
// module bundled in the CLI when it is loaded (design/simulator.md, "Counting the VM's work"):
//
// - `hfw_work`: WebAssembly instructions executed, approximately. Every straight-line segment (a
//   function's or loop's or if-arm's start, the code after a block, where branches land) adds its
//   instruction count when it starts. A conditional branch out of a segment still counts the rest of
//   it, so this slightly over-counts, the same way every run.
//   A function adds its segments into a local of its own and moves that into the global when it
//   returns and before each call that may reach the host (an import, or a function that may call
//   one, or any call through the table): the host reads the counters only from an import or after
//   an export returns, so it reads what adding to the global at every segment would give, for less
//   work (a local is a register; the global is memory).
// - `hfw_f64`: double-precision operations (arithmetic, comparisons, conversions; division and square
//   root weighted 5), which chips without a double-precision FPU run as soft-float calls (chips.ts).
// - `hfw_ops`: DeviceScript opcodes (iterations of the interpreter's loop in devs_vm_exec_opcodes).
// - `hfw_verifies`: program images verified (devs_verify: at each start of a program).
// - `hfw_gcs` / `hfw_gc_ptr`: garbage collections, and the collector's state (the `devs_gc_t`, noted
//   at every allocation), so the heap can be read (gc_alloc.c in microsoft/devicescript, heap.ts).
//
// The counters are 32-bit and wrap; readers take differences modulo 2^32 (one wake is far below).
// The stock module's hot spots then run faster code that counts what the code it replaces counted
// (fast-paths.ts: the interpreter's handler calls made direct, memset's loop one memory.fill, the
// flash image's scan eight bytes at a time). The instrumented module is optimised by binaryen
// (OPTIMIZE_LEVEL: the same program, the same counts at every point the host reads them), its memory
// cut from the bundle's 16 MB to VM_MEMORY_PAGES (below), cached on disk, keyed by the CLI bundle's
// VM section and this file's INSTRUMENTATION version, and compiled once per process: every board
// instantiates the same module.
import { createHash } from "node:crypto"
import fs from "node:fs"
import path from "node:path"
import { writeFileAtomic } from "../files.ts"
import { REPO_ROOT } from "../firmware.ts"
import { bundledWasm, type VmSource } from "./vm-source.ts"
import { withDirectDispatch, withFastFlashScan, withNativeFill } from "./fast-paths.ts"
import { childSlots, childrenOf, infoOf, outermostLoop, readModule, type Binaryen } from "./wasm-tree.ts"
import { withLookupProbe } from "./lookup-probe.ts"
import { withOpProfile } from "./op-profile.ts"

/** bump when the instrumentation changes: invalidates the cached modules */
const INSTRUMENTATION = 13
/**
 * The VM's memory, in 64 KB WebAssembly pages: 4 MB. The bundled module declares 16 MB, fixed (it
 * cannot grow), of which a VM uses about 330 KB (the program's GC heap, the runtime's buffers, its
 * stack and static data: the highest byte ever written, 335,836, in robot-walk, faults, garbage,
 * foot-gait and joint-track). Fourteen boards' 16 MB each, new at every run, made V8 collect its own
 * heap several times a run for the memory held outside it: five robot-walk 6 s runs in a process took
 * 0.964 of the wall time with the smaller memory (farm-bench, 10 pairs; 2 MB and 4 MB alike), the
 * same trace hashes. A VM that needed more would stop with the runtime's own abort ("Cannot enlarge
 * memory arrays"), reported as its board's panic (BoardVm), never run on wrongly.
 */
export const VM_MEMORY_PAGES = 64
/**
 * binaryen's optimisation level for the instrumented module (as wasm-opt -O3). It runs the same
 * program: the counters read the same at every import and export (the same trace hashes), in 0.96 of
 * a robot-walk's wall time; it takes about 3.5 s, once per cached module.
 */
const OPTIMIZE_LEVEL = 3
const CACHE_DIR = path.join(REPO_ROOT, "node_modules", ".cache", "hfw")
/** the interpreter's loop: one iteration per DeviceScript opcode */
const INTERPRETER = "devs_vm_exec_opcodes"
/** the collector: one call per collection */
const COLLECTOR = "devs_gc"
/** checks a program image: once as the runtime starts up, then at each start of a program */
const VERIFIER = "devs_verify"
/** every allocation from the collected heap; its first parameter is the devs_gc_t */
const ALLOCATOR = "jd_gc_any_try_alloc"

/** What a counted VM instance reports. */
export interface VmCounters {
    /** WebAssembly instructions executed so far (mod 2^32) */
    work(): number
    /** double-precision operations so far, division and square root weighted 5 (mod 2^32) */
    f64Ops(): number
    /** DeviceScript opcodes executed so far (mod 2^32) */
    opcodes(): number
    /** program images verified so far */
    verifies(): number
    /** garbage collections so far */
    collections(): number
    /** address of the collector's state in the VM's memory (0 before the first allocation) */
    collectorAddress(): number
}

/** Which build of the runtime the VM module stands for. */
export interface VmVariant {
    /**
     * the allocator fills every free block it marks, each split's rest included (the stock runtime's
     * gc_alloc.c `mark_block`); false: a runtime built without that fill (withoutFreeFill)
     */
    freeFill: boolean
    /** the lookup probe added (lookup-probe.ts: `--param vm.lookups=on`) */
    lookupProbe?: boolean
    /** the interpreter tells the host each opcode's pc (op-profile.ts: `--param vm.profile=on`; not with lookupProbe) */
    opProfile?: boolean
}

const compiled = new Map<string, Promise<WebAssembly.Module>>()
/** each VM source's cache keys, by variant (the key hashes the 400 KB section: once, not at every board's start) */
const keysOf = new WeakMap<VmSource, Map<string, string>>()

/** The bundled VM module with counters, compiled (once per process, VM source and variant). */
export function countedVmModule(source: VmSource, variant: VmVariant = { freeFill: true }): Promise<WebAssembly.Module> {
    const key = keyOf(source, variant)
    let module = compiled.get(key)
    if (!module) compiled.set(key, (module = compileCounted(source, key, variant)))
    return module
}

/** the cache key of `variant` of the module from `source`, computed once a process */
function keyOf(source: VmSource, variant: VmVariant): string {
    let keys = keysOf.get(source)
    if (!keys) keysOf.set(source, (keys = new Map()))
    const name = `${variant.freeFill}/${!!variant.lookupProbe}/${!!variant.opProfile}`
    let key = keys.get(name)
    if (!key) keys.set(name, (key = cacheKey(source, variant)))
    return key
}

async function compileCounted(source: VmSource, key: string, variant: VmVariant): Promise<WebAssembly.Module> {
    const file = path.join(CACHE_DIR, `devicescript-vm-${key}.wasm`)
    let binary: Uint8Array<ArrayBuffer>
    if (fs.existsSync(file)) binary = new Uint8Array(fs.readFileSync(file))
    else if (variant.lookupProbe || variant.opProfile) {
        // the counted module as it runs without the probe or profile, then that added to it
        const counted = await countedVmModuleBinary(source, { ...variant, lookupProbe: false, opProfile: false })
        const { default: binaryen } = await import("binaryen")
        binary = variant.lookupProbe ? withLookupProbe(binaryen as Binaryen, counted) : withOpProfile(binaryen as Binaryen, counted)
        writeFileAtomic(file, binary)
    } else {
        // binaryen takes seconds to load: only when the cache has no counted module for this VM
        const { default: binaryen } = await import("binaryen")
        binary = instrument(binaryen as Binaryen, bundledWasm(source), variant)
        writeFileAtomic(file, binary)
    }
    return WebAssembly.compile(binary)
}

/** the counted module's binary, from the cache (made there first if it is not) */
async function countedVmModuleBinary(source: VmSource, variant: VmVariant): Promise<Uint8Array> {
    await countedVmModule(source, variant)
    return fs.readFileSync(path.join(CACHE_DIR, `devicescript-vm-${keyOf(source, variant)}.wasm`))
}

/** The counters of an instance of the counted module. */
export function countersOf(exports: WebAssembly.Exports): VmCounters {
    const g = (name: string) => {
        const v = exports[name]
        if (!(v instanceof WebAssembly.Global)) throw new Error(`the counted VM module has no global '${name}'`)
        return v
    }
    const work = g("hfw_work")
    const f64 = g("hfw_f64")
    const ops = g("hfw_ops")
    const verifies = g("hfw_verifies")
    const gcs = g("hfw_gcs")
    const gcPtr = g("hfw_gc_ptr")
    return {
        work: () => work.value >>> 0,
        f64Ops: () => f64.value >>> 0,
        opcodes: () => ops.value >>> 0,
        verifies: () => verifies.value >>> 0,
        collections: () => gcs.value >>> 0,
        collectorAddress: () => gcPtr.value >>> 0,
    }
}

/** units counted between two readings of a wrapping 32-bit counter */
export const countedSince = (before: number, after: number) => (after - before) >>> 0

function cacheKey(source: VmSource, variant: VmVariant): string {
    // (the stock variant keeps the key it always had)
    const hash = createHash("sha256").update(`${INSTRUMENTATION}\n`)
    if (!variant.freeFill) hash.update("no free fill\n")
    if (variant.lookupProbe) hash.update("lookup probe\n")
    if (variant.opProfile) hash.update("op profile, on the optimised module\n")
    return hash.update(source.section).digest("hex").slice(0, 16)
}

/**
 * The soft-float weight of an expression, by its id and operator, in `hfw_f64`: a double-precision
 * unary or binary operation 1, division and square root 5, anything else (a bit operation on a double
 * included) 0. Exported for the tests.
 */
export function f64Weight(B: Binaryen): (id: number, op: number) => number {
    // (binaryen numbers unary and binary operators each from 0: the same number is a different
    // operator in each, e.g. SqrtFloat64 and LeSInt32; so each kind has its own sets)
    const ops = (names: string[]) => new Set(names.map(k => (B as unknown as Record<string, number>)[k]))
    const heavyBinary = ops(["DivFloat64"])
    const lightBinary = ops([
        "AddFloat64", "SubFloat64", "MulFloat64", "MinFloat64", "MaxFloat64",
        "EqFloat64", "NeFloat64", "LtFloat64", "LeFloat64", "GtFloat64", "GeFloat64",
    ])
    const heavyUnary = ops(["SqrtFloat64"])
    const lightUnary = ops([
        "CeilFloat64", "FloorFloat64", "TruncFloat64", "NearestFloat64",
        "ConvertSInt32ToFloat64", "ConvertUInt32ToFloat64", "ConvertSInt64ToFloat64", "ConvertUInt64ToFloat64",
        "TruncSFloat64ToInt32", "TruncUFloat64ToInt32", "TruncSFloat64ToInt64", "TruncUFloat64ToInt64",
        "TruncSatSFloat64ToInt32", "TruncSatUFloat64ToInt32", "TruncSatSFloat64ToInt64", "TruncSatUFloat64ToInt64",
        "PromoteFloat32", "DemoteFloat64",
    ])
    return (id, op) =>
        id === B.BinaryId
            ? heavyBinary.has(op) ? 5 : lightBinary.has(op) ? 1 : 0
            : id === B.UnaryId
              ? heavyUnary.has(op) ? 5 : lightUnary.has(op) ? 1 : 0
              : 0
}

/** Adds the counters to the VM module (a runtime build `variant` first). Exported for the tests. */
export function instrument(B: Binaryen, wasm: Uint8Array, variant: VmVariant = { freeFill: true }): Uint8Array<ArrayBuffer> {
    const m = readModule(B, wasm)
    if (!variant.freeFill) withoutFreeFill(B, m)
    for (const name of ["hfw_work", "hfw_f64", "hfw_ops", "hfw_verifies", "hfw_gcs", "hfw_gc_ptr"]) {
        m.addGlobal(name, B.i32, true, m.i32.const(0))
        m.addGlobalExport(name, name)
    }
    const bump = (g: string, n: number) => m.global.set(g, m.i32.add(m.global.get(g, B.i32), m.i32.const(n)))
    const prepend = (body: number, first: number) => {
        const info = infoOf(B, body)
        return m.block(null, [first, body], (info?.type as number) ?? B.none)
    }
    const f64 = f64Weight(B)
    const CONTROL = new Set([B.BlockId, B.LoopId, B.IfId, B.BreakId, B.SwitchId, B.ReturnId, B.UnreachableId])

    /**
     * the function being instrumented: its accumulators (locals), whether it counted f64 work, and its
     * scratch local of each value type (for a value that must wait for a flush)
     */
    let fn = { ref: 0, work: 0, f64: 0, countsF64: false, scratch: new Map<number, number>() }
    const add = (local: number, n: number) => m.local.set(local, m.i32.add(m.local.get(local, B.i32), m.i32.const(n)))
    /** the counters' increments for a straight-line segment, into the function's accumulators */
    const charge = (seg: { instructions: number; f64Ops: number }) => {
        if (!seg.f64Ops) return add(fn.work, seg.instructions)
        fn.countsF64 = true
        return m.block(null, [add(fn.work, seg.instructions), add(fn.f64, seg.f64Ops)], B.none)
    }
    /** the function's accumulators moved into the globals */
    const flush = () => {
        const move = (global: string, local: number) => [
            m.global.set(global, m.i32.add(m.global.get(global, B.i32), m.local.get(local, B.i32))),
            m.local.set(local, m.i32.const(0)),
        ]
        return m.block(null, [...move("hfw_work", fn.work), ...(fn.countsF64 ? move("hfw_f64", fn.f64) : [])], B.none)
    }

    // Counts the expression tree under `root` into `seg`, instrumenting what it contains that control
    // flow enters or leaves (blocks, loops, ifs) as code of its own. True when `root` holds control
    // flow: the code after it is then a segment of its own (it may be a branch's target).
    const walk = (root: number, seg: { instructions: number; f64Ops: number }): boolean => {
        let control = false
        const stack = [root]
        while (stack.length) {
            const e = stack.pop()!
            const id = B.getExpressionId(e)
            if (CONTROL.has(id)) control = true
            const info = infoOf(B, e)
            if (id === B.BlockId) {
                sequence(e)
                continue
            }
            seg.instructions++
            if (!info) continue
            seg.f64Ops += f64(id, info.op as number)
            if (id === B.LoopId) B.Loop.setBody(e, counted(info.body as number))
            else if (id === B.IfId) {
                stack.push(info.condition as number)
                B.If.setIfTrue(e, counted(info.ifTrue as number))
                if (info.ifFalse) B.If.setIfFalse(e, counted(info.ifFalse as number))
            } else stack.push(...childrenOf(B, id, e))
        }
        return control
    }

    // A block's children as straight-line segments, each charged where it starts: at the block's start
    // and after every child that holds control flow (the code after a block is where a branch out of
    // it lands; after a br_if, the fall-through).
    const sequence = (block: number) => {
        const children = B.getExpressionInfo(block) as unknown as { children: number[] }
        const starts: { at: number; seg: { instructions: number; f64Ops: number } }[] = [{ at: 0, seg: { instructions: 0, f64Ops: 0 } }]
        children.children.forEach((child, i) => {
            const control = walk(child, starts[starts.length - 1].seg)
            if (control && i < children.children.length - 1) starts.push({ at: i + 1, seg: { instructions: 0, f64Ops: 0 } })
        })
        for (let k = starts.length - 1; k >= 0; k--)
            if (starts[k].seg.instructions) B.Block.insertChildAt(block, starts[k].at, charge(starts[k].seg))
    }

    /** `body` (a function's, a loop's, an if arm) with its counting */
    const counted = (body: number) => {
        if (B.getExpressionId(body) === B.BlockId) {
            sequence(body)
            return body
        }
        const seg = { instructions: 0, f64Ops: 0 }
        walk(body, seg)
        return seg.instructions ? prepend(body, charge(seg)) : body
    }

    const reachesHost = functionsReachingHost(B, m)
    /** `value`, with the accumulators flushed after it is computed */
    const flushAfter = (value: number) => {
        const type = B.getExpressionType(value)
        if (type === B.unreachable || type === B.none) return value
        if (!fn.scratch.has(type)) fn.scratch.set(type, B._BinaryenFunctionAddVar(fn.ref, type))
        const tmp = fn.scratch.get(type)!
        return m.block(null, [m.local.set(tmp, value), flush(), m.local.get(tmp, type)], type)
    }
    // Flushes before every call that may reach the host (after its operands: the last one computed, or
    // a call through the table's index) and at every return.
    const withFlushes = (e: number): number => {
        const id = B.getExpressionId(e)
        for (const slot of childSlots(B, id, e)) {
            const child = slot.get()
            const replaced = withFlushes(child)
            if (replaced !== child) slot.set(replaced)
        }
        if (id === B.CallIndirectId) {
            B.CallIndirect.setTarget(e, flushAfter(B.CallIndirect.getTarget(e)))
        } else if (id === B.CallId && reachesHost.has(B.Call.getTarget(e))) {
            const n = B.Call.getNumOperands(e)
            if (n > 0) B.Call.setOperandAt(e, n - 1, flushAfter(B.Call.getOperandAt(e, n - 1)))
            else return m.block(null, [flush(), e], B.getExpressionType(e))
        } else if (id === B.ReturnId) {
            const value = B.Return.getValue(e)
            if (value) B.Return.setValue(e, flushAfter(value))
            else return m.block(null, [flush(), e], B.unreachable)
        }
        return e
    }

    let interpreterLoops = 0
    let collectors = 0
    let allocators = 0
    let verifiers = 0
    for (let i = 0; i < m.getNumFunctions(); i++) {
        const f = m.getFunctionByIndex(i)
        const fi = B.getFunctionInfo(f)
        if (fi.module || !fi.body) continue // imports
        fn = { ref: f, work: B._BinaryenFunctionAddVar(f, B.i32), f64: B._BinaryenFunctionAddVar(f, B.i32), countsF64: false, scratch: new Map() }
        if (fi.name === INTERPRETER) {
            const loop = outermostLoop(B, fi.body)
            if (loop) {
                const body = B.Loop.getBody(loop)
                B.Loop.setBody(loop, prepend(body, bump("hfw_ops", 1)))
                interpreterLoops++
            }
        }
        let body = withFlushes(counted(fi.body))
        // ... and as the function ends
        body = fi.results === B.none ? m.block(null, [body, flush()], B.none) : flushAfter(body)
        if (fi.name === COLLECTOR) {
            body = prepend(body, bump("hfw_gcs", 1))
            collectors++
        }
        if (fi.name === VERIFIER) {
            body = prepend(body, bump("hfw_verifies", 1))
            verifiers++
        }
        if (fi.name === ALLOCATOR) {
            body = prepend(body, m.global.set("hfw_gc_ptr", m.local.get(0, B.i32)))
            allocators++
        }
        B.Function.setBody(f, body)
    }
    if (interpreterLoops !== 1 || collectors !== 1 || allocators !== 1 || verifiers !== 1)
        throw new Error(
            `the bundled VM module has changed: expected one '${INTERPRETER}' loop and one each of '${COLLECTOR}', ` +
                `'${ALLOCATOR}' and '${VERIFIER}' (found ${interpreterLoops}, ${collectors}, ${allocators}, ${verifiers}); ` +
                `sim/vm/counting.ts is written for @devicescript/cli 2.16.4`
        )
    withDirectDispatch(B, m, INTERPRETER)
    withNativeFill(B, m)
    withFastFlashScan(B, m)
    if (!m.validate()) throw new Error("the instrumented VM module does not validate")
    B.setOptimizeLevel(OPTIMIZE_LEVEL)
    B.setShrinkLevel(0)
    m.optimize()
    const out = withMemoryPages(new Uint8Array(m.emitBinary()), VM_MEMORY_PAGES)
    m.dispose()
    return out
}

/**
 * `wasm` with its one memory's initial and maximum size set to `pages` (binaryen's setMemory would
 * re-add the 163 data segments; the memory section is a few bytes: section 5, a count of 1, the
 * limits' flags, then the initial and, when the flags say so, the maximum size, as LEB128).
 */
function withMemoryPages(wasm: Uint8Array<ArrayBuffer>, pages: number): Uint8Array<ArrayBuffer> {
    const MEMORY_SECTION = 5
    const HAS_MAXIMUM = 1
    const uleb = (at: number): [value: number, next: number] => {
        let value = 0
        for (let shift = 0; ; shift += 7) {
            const byte = wasm[at++]
            value += (byte & 0x7f) * 2 ** shift
            if (!(byte & 0x80)) return [value, at]
        }
    }
    const toUleb = (value: number): number[] => {
        const bytes: number[] = []
        do {
            const low = value & 0x7f
            value = Math.floor(value / 128)
            bytes.push(value ? low | 0x80 : low)
        } while (value)
        return bytes
    }
    // after the magic number and the version
    for (let at = 8; at < wasm.length; ) {
        const id = wasm[at]
        const [size, body] = uleb(at + 1)
        if (id === MEMORY_SECTION) {
            const [count, limits] = uleb(body)
            if (count !== 1) throw new Error(`the VM module has ${count} memories, not one`)
            const flags = wasm[limits]
            const contents = [1, flags, ...toUleb(pages), ...(flags & HAS_MAXIMUM ? toUleb(pages) : [])]
            const section = [MEMORY_SECTION, ...toUleb(contents.length), ...contents]
            const rest = wasm.subarray(body + size)
            const out = new Uint8Array(at + section.length + rest.length)
            out.set(wasm.subarray(0, at))
            out.set(section, at)
            out.set(rest, at + section.length)
            return out
        }
        at = body + size
    }
    throw new Error("the VM module declares no memory")
}

/**
 * Names of the functions that may call the host: an import, any function through the table, or a
 * function that may (a fixed point over the direct calls).
 */
function functionsReachingHost(B: Binaryen, m: import("binaryen").default.Module): Set<string> {
    const calls = new Map<string, Set<string>>()
    const reaching = new Set<string>()
    for (let i = 0; i < m.getNumFunctions(); i++) {
        const fi = B.getFunctionInfo(m.getFunctionByIndex(i))
        if (fi.module || !fi.body) {
            reaching.add(fi.name)
            continue
        }
        const callees = new Set<string>()
        const stack = [fi.body]
        while (stack.length) {
            const e = stack.pop()!
            const id = B.getExpressionId(e)
            if (id === B.CallIndirectId) reaching.add(fi.name)
            if (id === B.CallId) callees.add(B.Call.getTarget(e))
            stack.push(...childrenOf(B, id, e))
        }
        calls.set(fi.name, callees)
    }
    for (let grew = true; grew; ) {
        grew = false
        for (const [name, callees] of calls)
            if (!reaching.has(name) && [...callees].some(c => reaching.has(c))) {
                reaching.add(name)
                grew = true
            }
    }
    return reaching
}

/** the allocator's functions that mark blocks free (gc_alloc.c: mark_block is inlined into them) */
const FREE_MARKERS = ["find_free_block", "devs_gc", "devs_gc_add_chunk", "jd_gc_free"]
/** gc_alloc.c's FREE_FILL, the byte free blocks are filled with */
const FREE_FILL = 0x37

/**
 * The runtime built without gc_alloc.c's fill of free blocks: `mark_block` writes FREE_FILL over the
 * body of every block it marks free, the rest of each block an allocation splits included, so an
 * allocation costs in proportion to the free block it comes from (README, "CPU under the model").
 * Only the GC stress mode's heap validation reads the fill, and every allocation zeroes its block
 * anyway. Each of the allocator's memset(..., FREE_FILL, ...) calls becomes a call that does nothing;
 * nothing else changes. Not the stock runtime: a build a product could ship with that one change.
 */
function withoutFreeFill(B: Binaryen, m: ReturnType<Binaryen["readBinary"]>) {
    const memset = "__memset"
    const skip = "hfw_no_free_fill"
    // memset's signature, returning its destination as memset does
    m.addFunction(skip, B.createType([B.i32, B.i32, B.i32]), B.i32, [], m.local.get(0, B.i32))
    let patched = 0
    for (const name of FREE_MARKERS) {
        const f = m.getFunction(name)
        const body = f ? B.getFunctionInfo(f).body : 0
        if (!body) throw new Error(`the bundled VM module has no '${name}': sim/vm/counting.ts is written for @devicescript/cli 2.16.4`)
        const stack = [body]
        while (stack.length) {
            const e = stack.pop()!
            const id = B.getExpressionId(e)
            if (id === B.CallId && B.Call.getTarget(e) === memset) {
                const value = infoOf(B, B.Call.getOperandAt(e, 1))
                if (value?.id === B.ConstId && value.value === FREE_FILL) {
                    B.Call.setTarget(e, skip)
                    patched++
                }
            }
            stack.push(...childrenOf(B, id, e))
        }
    }
    // mark_block inlined once into each of them, three times into find_free_block
    if (patched < FREE_MARKERS.length)
        throw new Error(`the bundled VM module has changed: found ${patched} fills of free blocks, expected at least ${FREE_MARKERS.length}; sim/vm/counting.ts is written for @devicescript/cli 2.16.4`)
}
