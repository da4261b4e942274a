// The VM's lookups by name, counted by name (`--param vm.lookups=on`): where a program's time goes
// when it reads a field, calls a method or uses a builtin that the object does not hold first.
//
// The runtime finds a name on an object by comparing references first, and only when that fails by
// comparing the name as a string with every field the object holds (objects.c `lookup`); then it
// goes on to the class, the builtins. Each of those string reads costs some 300 counted instructions
// (README, "The joint board firmware"): a method called on an object of fifty fields, or a field that
// was never set, costs thousands at every call. This probe reports each string the runtime reads inside
// its three lookup functions: the first after a lookup starts is the name looked for, the rest are
// the names it was compared with.
//
// The probe is a copy of the counted module (counting.ts) whose calls to `devs_string_get_utf8` inside
// those functions also call an import with the string read: added after the counting, so the counters
// read the same at every point the host reads them, and the run is the same run (the same trace hash).
// It makes the host decode each name looked up and count each compare: a probed robot-walk takes about
// an eighth longer.
import { childrenOf, readModule, type Binaryen } from "./wasm-tree.ts"

/** the import the probed module calls: (utf8 pointer, byte length, 1) for a string read, (0, 0, 0) at a lookup's start */
export const PROBE_IMPORT = "hfw_lookup"
/** the runtime's functions that look a name up, and the one that reads a string's bytes there */
const LOOKUP_FUNCTIONS = ["lookup", "devs_spec_lookup", "devs_maplike_get_no_bind"]
const STRING_READ = "devs_string_get_utf8"
const STRING_READ_PROBED = "hfw_string_get_utf8_probed"

/** Adds the probe to a counted VM module (its binary, as counting.ts caches it); the probed binary. */
export function withLookupProbe(B: Binaryen, counted: Uint8Array): Uint8Array<ArrayBuffer> {
    const m = readModule(B, counted)
    const i32x3 = B.createType([B.i32, B.i32, B.i32])
    m.addFunctionImport(PROBE_IMPORT, "env", PROBE_IMPORT, i32x3, B.none)
    // the string read, then the probe told its bytes: (ctx, string, &size) -> utf8 pointer
    const arg = (i: number) => m.local.get(i, B.i32)
    m.addFunction(STRING_READ_PROBED, i32x3, B.i32, [B.i32], m.block(null, [
        m.local.set(3, m.call(STRING_READ, [arg(0), arg(1), arg(2)], B.i32)),
        m.call(PROBE_IMPORT, [arg(3), m.i32.load(0, 4, arg(2)), m.i32.const(1)], B.none),
        arg(3),
    ], B.i32))
    for (const name of LOOKUP_FUNCTIONS) {
        const fn = m.getFunction(name)
        if (!fn) throw new Error(`the VM module has no function '${name}': the lookup probe (sim/vm/lookup-probe.ts) is written for @devicescript/cli 2.16.4`)
        const info = B.getFunctionInfo(fn)
        let reads = 0
        const walk = (e: number) => {
            if (!e) return
            const id = B.getExpressionId(e)
            if (id === B.CallId && B.Call.getTarget(e) === STRING_READ) {
                B.Call.setTarget(e, STRING_READ_PROBED)
                reads++
            }
            for (const c of childrenOf(B, id, e)) walk(c)
        }
        walk(info.body)
        if (!reads) throw new Error(`the VM's '${name}' reads no string: the lookup probe (sim/vm/lookup-probe.ts) is written for @devicescript/cli 2.16.4`)
        const start = m.call(PROBE_IMPORT, [m.i32.const(0), m.i32.const(0), m.i32.const(0)], B.none)
        B.Function.setBody(fn, m.block(null, [start, info.body], info.results))
    }
    if (!m.validate()) throw new Error("the VM module with the lookup probe does not validate")
    const out = m.emitBinary()
    m.dispose()
    return out as Uint8Array<ArrayBuffer>
}

/** one name's count on one board */
export interface LookupCount {
    name: string
    /** lookups of this name that compared strings */
    lookups: number
    /** the strings it was compared with, in all */
    compares: number
}

const DECODER = new TextDecoder()

/** A board's lookups by name, told by its probed VM (the import's callback: `read`). */
export class LookupTally {
    private readonly byName = new Map<string, LookupCount>()
    private current: LookupCount | undefined

    /** the probe's import: `memory` the instance's */
    read(memory: WebAssembly.Memory, ptr: number, bytes: number, kind: number) {
        if (kind === 0) {
            this.current = undefined
            return
        }
        if (this.current) {
            this.current.compares++
            return
        }
        const name = DECODER.decode(new Uint8Array(memory.buffer, ptr, bytes))
        let c = this.byName.get(name)
        if (!c) this.byName.set(name, (c = { name, lookups: 0, compares: 0 }))
        c.lookups++
        this.current = c
    }

    /** the names by the strings read for them, most first */
    counts(limit = Infinity): LookupCount[] {
        return [...this.byName.values()].sort((a, b) => b.lookups + b.compares - a.lookups - a.compares).slice(0, limit)
    }
}
