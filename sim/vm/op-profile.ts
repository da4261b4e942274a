// The VM's counted work by the bytecode function that did it (`--param vm.profile=on`): where a
// program's time goes on the modelled chip, function by function, in the run itself.
//
// The profiled module is a copy of the counted module (counting.ts, as it caches it) that calls an
// import at each turn of the interpreter's loop, before it fetches an opcode, and once as the loop
// stops. The host reads the running activation's pc there, and charges the work counted since the
// last call to the opcode that was about to run then: its own work and the runtime's it called (a
// field's lookup, an allocation and the collection it brought, a builtin). Work outside the
// interpreter (a frame's intake, the timers, the scheduler) is charged to "(runtime)". The calls are
// added to the optimised counted module, so the counters read the same at every point the host
// reads them and the run is the same run (the same trace hash); a charge can lag by the counting the
// optimiser kept in locals until the interpreter's next call (its own few instructions around an
// opcode). A profiled walk takes about two and a half times as long (a call to the host per opcode).
import { createHash } from "node:crypto"
import fs from "node:fs"
import path from "node:path"
import { BUILD_DIR } from "../firmware.ts"
import { childSlots, readModule, type Binaryen } from "./wasm-tree.ts"

/** the rows a board's profile keeps in a run's result (`vmProfile`); the rest are summed in one */
export const PROFILE_ROWS_KEPT = 30
/** the import the profiled module calls: (the devs_ctx_t, OP_NEXT or RUN_END) */
export const PROFILE_IMPORT = "hfw_op"
/** the interpreter is about to run the opcode at the activation's pc */
export const OP_NEXT = 0
/** the interpreter's loop stopped: what follows is the runtime's */
export const RUN_END = 1
/**
 * devs_ctx_t's curr_fn (the running activation) and devs_activation_t's pc (16 bits), as the VM of
 * @devicescript/cli 2.16.4 lays them out (runtime/devicescript/devs_internal.h; both offsets as its
 * interpreter's loop reads them)
 */
const CTX_CURR_FN = 232
const ACTIVATION_PC = 4
/** what no bytecode pc is: the runtime's own work */
const RUNTIME = -1
/** the counter the interpreter's loop bumps once an opcode (counting.ts): how its loop is found */
const OPCODE_COUNTER = "hfw_ops"
/** where the interpreter's loop is: its own function, or the one binaryen inlined it into */
const INTERPRETER_HOSTS = ["devs_vm_exec_opcodes", "devs_fiber_run"]

/**
 * Adds the profile's calls to a counted VM module (its binary, as counting.ts caches it); the profiled
 * binary. The interpreter's loop is the one that bumps the opcode counter (binaryen inlines it into
 * devs_fiber_run); the devs_ctx_t is the local it reads curr_fn from.
 */
export function withOpProfile(B: Binaryen, counted: Uint8Array): Uint8Array<ArrayBuffer> {
    const m = readModule(B, counted)
    m.addFunctionImport(PROFILE_IMPORT, "env", PROFILE_IMPORT, B.createType([B.i32, B.i32]), B.none)
    const call = (ctx: number, kind: number) => m.call(PROFILE_IMPORT, [ctx, m.i32.const(kind)], B.none)
    let loops = 0
    for (const name of INTERPRETER_HOSTS) {
        const fn = m.getFunction(name)
        if (!fn) continue
        const info = B.getFunctionInfo(fn)
        // each loop with the slot that holds it, walking down
        const walk = (slot: { get(): number; set(x: number): void }) => {
            const e = slot.get()
            const id = B.getExpressionId(e)
            if (id === B.LoopId && bumpsOpcodes(B, e)) {
                const ctx = ctxLocal(B, e)
                B.Loop.setBody(e, m.block(null, [call(m.local.get(ctx, B.i32), OP_NEXT), B.Loop.getBody(e)], B.getExpressionType(B.Loop.getBody(e))))
                slot.set(m.block(null, [e, call(m.i32.const(0), RUN_END)], B.none))
                loops++
                return
            }
            for (const child of childSlots(B, id, e)) walk(child)
        }
        let body = info.body
        walk({ get: () => body, set: x => (body = x) })
        if (body !== info.body) B.Function.setBody(fn, body)
    }
    if (loops !== 1 || !m.validate())
        throw new Error(`the counted VM module has ${loops} interpreter loops, or does not validate with the profile's calls: sim/vm/op-profile.ts is written for @devicescript/cli 2.16.4`)
    const out = m.emitBinary()
    m.dispose()
    return out as Uint8Array<ArrayBuffer>
}

/** `loop` bumps the opcode counter itself (not only in a loop inside it) */
function bumpsOpcodes(B: Binaryen, loop: number): boolean {
    const stack = [B.Loop.getBody(loop)]
    while (stack.length) {
        const e = stack.pop()!
        const id = B.getExpressionId(e)
        if (id === B.LoopId) continue
        if (id === B.GlobalSetId && (B.getExpressionInfo(e) as unknown as { name: string }).name === OPCODE_COUNTER) return true
        stack.push(...childSlots(B, id, e).map(s => s.get()))
    }
    return false
}

/** the local the interpreter's loop reads devs_ctx_t's curr_fn from: one, or the module is not the one this is written for */
function ctxLocal(B: Binaryen, loop: number): number {
    const locals = new Set<number>()
    const stack = [loop]
    while (stack.length) {
        const e = stack.pop()!
        const id = B.getExpressionId(e)
        if (id === B.LoadId) {
            const load = B.getExpressionInfo(e) as unknown as { offset: number; ptr: number }
            if (load.offset === CTX_CURR_FN && B.getExpressionId(load.ptr) === B.LocalGetId)
                locals.add((B.getExpressionInfo(load.ptr) as unknown as { index: number }).index)
        }
        stack.push(...childSlots(B, id, e).map(s => s.get()))
    }
    if (locals.size !== 1) throw new Error(`the interpreter's loop reads curr_fn through ${locals.size} locals: sim/vm/op-profile.ts is written for @devicescript/cli 2.16.4`)
    return [...locals][0]
}

/** one function's share of a board's counted work */
export interface FunctionWork {
    /** the function's name and where it starts (file:line), or "(runtime)" */
    name: string
    /** counted WebAssembly instructions charged to its opcodes */
    work: number
    /** its share of the board's counted work, % */
    pct: number
    /** opcodes it ran */
    opcodes: number
}

/** A board's counted work by bytecode pc, as its profiled VM tells it (the import's callback: `op`). */
export class OpProfile {
    private readonly workAt = new Map<number, number>()
    private readonly opsAt = new Map<number, number>()
    private pc = RUNTIME
    private lastWork = 0
    private view: DataView | undefined

    constructor(private readonly bytecode: Uint8Array) {}

    /** a new instance of the VM (the board started again): its counters start from 0 */
    restart() {
        this.pc = RUNTIME
        this.lastWork = 0
    }

    /** the import: `memory` the instance's, `work` its counter now */
    op(memory: WebAssembly.Memory, ctx: number, kind: number, work: number) {
        this.charge(work)
        if (kind === RUN_END) {
            this.pc = RUNTIME
            return
        }
        let view = this.view
        if (view?.buffer !== memory.buffer) this.view = view = new DataView(memory.buffer)
        const activation = view.getUint32(ctx + CTX_CURR_FN, true)
        this.pc = activation ? view.getUint16(activation + ACTIVATION_PC, true) : RUNTIME
        this.opsAt.set(this.pc, (this.opsAt.get(this.pc) ?? 0) + 1)
    }

    /** the runtime's work up to `work` (a run's end, between the interpreter's loops) */
    charge(work: number) {
        this.workAt.set(this.pc, (this.workAt.get(this.pc) ?? 0) + ((work - this.lastWork) >>> 0))
        this.lastWork = work
    }

    /**
     * the functions by the work charged to them, most first (names from the build's debug info); past
     * `limit` rows, the rest summed in a last row "(other functions)", so the rows add up to the board's
     * counted work and opcodes
     */
    functions(limit = Infinity): FunctionWork[] {
        const fns = functionsOf(this.bytecode)
        const byName = new Map<string, FunctionWork>()
        let all = 0
        const row = (name: string) => {
            let r = byName.get(name)
            if (!r) byName.set(name, (r = { name, work: 0, pct: 0, opcodes: 0 }))
            return r
        }
        for (const [pc, work] of this.workAt) {
            all += work
            row(pc === RUNTIME ? "(runtime)" : nameAt(fns, pc)).work += work
        }
        for (const [pc, ops] of this.opsAt) row(pc === RUNTIME ? "(runtime)" : nameAt(fns, pc)).opcodes += ops
        const rows = [...byName.values()].sort((a, b) => b.work - a.work)
        if (rows.length > limit) {
            const other: FunctionWork = { name: "(other functions)", work: 0, pct: 0, opcodes: 0 }
            for (const r of rows.splice(limit - 1)) (other.work += r.work), (other.opcodes += r.opcodes)
            rows.push(other)
        }
        for (const r of rows) r.pct = Math.round((1000 * r.work) / all) / 10
        return rows
    }
}

interface ProgramFunction {
    name: string
    startpc: number
    size: number
}

function nameAt(fns: ProgramFunction[], pc: number): string {
    return fns.find(f => pc >= f.startpc && pc < f.startpc + f.size)?.name ?? `pc ${pc}`
}

/** each program's functions by its bytecode's SHA-256 (a walk's twelve joints run one program) */
const functionsBySha = new Map<string, ProgramFunction[]>()

/** the program's functions, named "name file:line", from the build's debug info of the same bytecode */
function functionsOf(bytecode: Uint8Array): ProgramFunction[] {
    const sha = createHash("sha256").update(bytecode).digest("hex")
    let fns = functionsBySha.get(sha)
    if (!fns) functionsBySha.set(sha, (fns = readFunctions(sha)))
    return fns
}

function readFunctions(sha: string): ProgramFunction[] {
    for (const dbgFile of debugInfoFiles(BUILD_DIR)) {
        const dbg = JSON.parse(fs.readFileSync(dbgFile, "utf8"))
        if (dbg.binarySHA256 !== sha) continue
        // a location is a position in the program's sources laid end to end
        const starts: number[] = []
        let at = 0
        for (const s of dbg.sources) starts.push(at), (at += s.length)
        const where = (pos: number) => {
            let i = starts.length - 1
            while (i > 0 && starts[i] > pos) i--
            const src = dbg.sources[i]
            const line = src.text.slice(0, pos - starts[i]).split("\n").length
            return `${src.path.replace(/^node_modules\//, "")}:${line}`
        }
        return dbg.functions.map((f: { name: string; startpc: number; size: number; location: [number, number] }) => ({
            name: `${f.name} ${where(f.location[0])}`,
            startpc: f.startpc,
            size: f.size,
        }))
    }
    return []
}

function debugInfoFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) return []
    return fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter(f => f.endsWith("-dbg.json"))
        .map(f => path.join(dir, f))
}
