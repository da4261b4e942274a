// memset's 32-byte loop as one memory.fill (sim/vm/counting.ts withNativeFill) fills the same bytes and
// counts the same work: on a small module whose loop is musl's, as the VM's counted module has it
// (the work local charged 23 an iteration), for fills of every length from 32 to 300 bytes from
// every alignment of a word.
import { describe, expect, test } from "vitest"
import { withNativeFill } from "../sim/vm/counting.ts"

describe("memset's loop as one memory.fill", async () => {
    const { default: B } = await import("binaryen")
    // fill(dest, byte, n): the loop fills n & -32 bytes from dest (n >= 32), as musl's bulk part; the
    // work local (7), the pointer (1) and the bytes left (2) are left in globals to compare
    const MODULE = `(module
      (memory $0 (export "memory") 1)
      (global $work (mut i32) (i32.const 0))
      (global $at (mut i32) (i32.const 0))
      (global $left (mut i32) (i32.const 0))
      (func $__memset (export "fill") (param i32 i32 i32) (result i32) (local i32 i32 i32 i64 i32)
        (local.set 6 (i64.mul (i64.extend_i32_u (i32.and (local.get 1) (i32.const 255))) (i64.const 72340172838076673)))
        (local.set 1 (local.get 0))
        (loop $label
          (local.set 7 (i32.add (local.get 7) (i32.const 23)))
          (i64.store offset=24 (local.get 1) (local.get 6))
          (i64.store offset=16 (local.get 1) (local.get 6))
          (i64.store offset=8 (local.get 1) (local.get 6))
          (i64.store (local.get 1) (local.get 6))
          (local.set 1 (i32.add (local.get 1) (i32.const 32)))
          (br_if $label (i32.gt_u (local.tee 2 (i32.add (local.get 2) (i32.const -32))) (i32.const 31))))
        (global.set $work (local.get 7))
        (global.set $at (local.get 1))
        (global.set $left (local.get 2))
        (local.get 0))
      (func (export "work") (result i32) (global.get $work))
      (func (export "at") (result i32) (global.get $at))
      (func (export "left") (result i32) (global.get $left)))`
    const build = (native: boolean) => {
        const m = B.parseText(MODULE)
        m.setFeatures(B.Features.MVP | B.Features.MutableGlobals | B.Features.BulkMemory | B.Features.BulkMemoryOpt)
        if (native) withNativeFill(B as never, m)
        expect(m.validate()).toBeTruthy()
        const text = m.emitText()
        const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(m.emitBinary())))
        m.dispose()
        const e = instance.exports as Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory }
        return { ...e, bytes: new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer), text }
    }

    test("the same bytes, pointer, bytes left and work for every length and alignment", () => {
        const loop = build(false)
        const fill = build(true)
        expect(fill.text).toMatch(/memory\.fill/)
        expect(fill.text).not.toMatch(/loop/)
        let compared = 0
        for (let n = 32; n <= 300; n++)
            for (let align = 0; align < 8; align++) {
                const dest = 1000 + align
                const byte = (n * 7 + align) & 0xff
                loop.bytes.fill(0x37)
                fill.bytes.fill(0x37)
                expect(fill.fill(dest, byte | 0x100, n)).toBe(loop.fill(dest, byte | 0x100, n))
                expect([fill.work(), fill.at(), fill.left()]).toEqual([loop.work(), loop.at(), loop.left()])
                expect(Buffer.compare(fill.bytes.subarray(900, 1400), loop.bytes.subarray(900, 1400))).toBe(0)
                compared++
            }
        expect(compared).toBe(269 * 8)
        // (the loop filled the bulk: 300 bytes from 1000 is 9 iterations, 288 bytes)
        loop.bytes.fill(0)
        loop.fill(1000, 5, 300)
        expect(loop.work()).toBe(9 * 23)
        expect([loop.bytes[999], loop.bytes[1000], loop.bytes[1287], loop.bytes[1288]]).toEqual([0, 5, 5, 0])
    })

    test("refuses a loop that is not musl's", () => {
        const other = B.parseText(MODULE.replace("(i32.const 32)))", "(i32.const 16)))"))
        other.setFeatures(B.Features.MVP | B.Features.MutableGlobals | B.Features.BulkMemory | B.Features.BulkMemoryOpt)
        expect(() => withNativeFill(B as never, other)).toThrow(/another loop than musl's/)
        other.dispose()
    })
})
