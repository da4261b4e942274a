// The interpreter's handler calls made direct (sim/vm/counting.ts withDirectDispatch) run the same
// program: on a small module built for the test, the same function runs for every table index, and
// an index of another signature or past the table traps as before.
import { describe, expect, test } from "vitest"
import { withDirectDispatch } from "../sim/vm/fast-paths.ts"

describe("direct dispatch of the interpreter's handlers", async () => {
    const { default: B } = await import("binaryen")
    /** devs_vm_exec_opcodes(index) calls table[index](index, 7); handlers leave a mark in global `seen` */
    const build = (direct: boolean) => {
        const m = new B.Module()
        m.setFeatures(B.Features.MVP | B.Features.MutableGlobals)
        m.addGlobal("seen", B.i32, true, m.i32.const(0))
        const pair = B.createType([B.i32, B.i32])
        const mark = (name: string, k: number) =>
            m.addFunction(name, pair, B.none, [], m.global.set("seen", m.i32.add(m.i32.mul(m.global.get("seen", B.i32), m.i32.const(10)), m.i32.add(m.i32.const(k), m.local.get(1, B.i32)))))
        mark("first", 1)
        mark("second", 2)
        m.addFunction("other_signature", B.i32, B.none, [], m.global.set("seen", m.i32.const(-1)))
        m.addTable("table", 4, 4)
        m.addActiveElementSegment("table", "entries", ["first", "other_signature", "second"], m.i32.const(1))
        // (in a block, as in the VM's interpreter loop)
        const call = m.call_indirect("table", m.local.get(0, B.i32), [m.local.get(0, B.i32), m.i32.const(7)], pair, B.none)
        m.addFunction("devs_vm_exec_opcodes", B.i32, B.none, [], m.block(null, [call, m.nop()]))
        m.addFunction("seen_value", B.none, B.i32, [], m.global.get("seen", B.i32))
        m.addFunctionExport("devs_vm_exec_opcodes", "run")
        m.addFunctionExport("seen_value", "seen")
        if (direct) withDirectDispatch(B as never, m, "devs_vm_exec_opcodes")
        expect(m.validate()).toBeTruthy()
        const text = m.emitText()
        const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(m.emitBinary())))
        m.dispose()
        return { run: instance.exports.run as (i: number) => void, seen: instance.exports.seen as () => number, text }
    }

    test("calls each entry of the call's signature directly, and runs what the table call ran", () => {
        const before = build(false)
        const after = build(true)
        for (const i of [1, 3, 1]) {
            before.run(i)
            after.run(i)
        }
        expect(after.seen()).toBe(before.seen())
        expect(after.seen()).toBe(898) // first, second, first: each adds its mark (1, 2) plus its second argument (7)
        // the entries of the call's signature are called directly; the table call stays for the rest
        expect(after.text).toMatch(/call \$first/)
        expect(after.text).toMatch(/call \$second/)
        expect(after.text).not.toMatch(/call \$other_signature/)
        expect(before.text).not.toMatch(/call \$first/)
    })

    test("traps where the table call trapped: another signature, an empty slot, past the table", () => {
        for (const index of [2, 0, 9]) {
            expect(() => build(false).run(index)).toThrow(WebAssembly.RuntimeError)
            expect(() => build(true).run(index)).toThrow(WebAssembly.RuntimeError)
        }
    })
})
