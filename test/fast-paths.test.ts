// The counted VM module's fast paths (sim/vm/fast-paths.ts) do what the code they replace did and count
// what it counted, each on a small module whose loop is the stock module's, as counted: memset's
// 32-byte loop as one memory.fill (the work local charged 23 an iteration), for fills of every length
// from 32 to 300 bytes from every alignment of a word; flash_sync's scan for erased bytes eight at a
// time (charged 7 and 9 a byte), for every length up to 100 with the last written byte anywhere, and a
// whole 128 KB flash.
import B from "binaryen"
import { describe, expect, test } from "vitest"
import { withFastFlashScan, withNativeFill } from "../sim/vm/fast-paths.ts"

const FEATURES = B.Features.MVP | B.Features.MutableGlobals | B.Features.BulkMemory | B.Features.BulkMemoryOpt

/** `wat` compiled as it is, or with `fastPath` applied: its exports, its memory's bytes, its text */
function build<E>(wat: string, fastPath?: (binaryen: never, m: B.Module) => void) {
    const m = B.parseText(wat)
    m.setFeatures(FEATURES)
    fastPath?.(B as never, m)
    expect(m.validate()).toBeTruthy()
    const text = m.emitText()
    const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(m.emitBinary())))
    m.dispose()
    const exports = instance.exports as unknown as E & { memory: WebAssembly.Memory }
    return { ...exports, bytes: new Uint8Array(exports.memory.buffer), text }
}

describe("memset's loop as one memory.fill", () => {
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
    type Fill = { fill(dest: number, byte: number, n: number): number; work(): number; at(): number; left(): number }
    const memset = (native: boolean) => build<Fill>(MODULE, native ? withNativeFill : undefined)

    test("the same bytes, pointer, bytes left and work for every length and alignment", () => {
        const loop = memset(false)
        const fill = memset(true)
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
        other.setFeatures(FEATURES)
        expect(() => withNativeFill(B as never, other)).toThrow(/another loop than musl's/)
        other.dispose()
    })
})

describe("flash_sync's scan for erased bytes, eight at a time", () => {
    // sync(image, bytes): scans back from the end past erased bytes (0x37); `saved` is the index of
    // the last one that is not (what flash_sync saves up to), untouched (-2) when all are erased
    const MODULE = `(module
      (memory $0 (export "memory") 3)
      (global $work (mut i32) (i32.const 0))
      (global $saved (mut i32) (i32.const 0))
      (global $left (mut i32) (i32.const 0))
      (func $flash_sync (export "sync") (param i32 i32) (local i32 i32)
        (global.set $saved (i32.const -2))
        (block $block
          (loop $label
            (local.set 3 (i32.add (local.get 3) (i32.const 7)))
            (br_if $block (i32.lt_s (local.tee 2 (i32.add (local.get 1) (i32.const -1))) (i32.const 0)))
            (local.set 3 (i32.add (local.get 3) (i32.const 9)))
            (local.set 1 (local.get 2))
            (br_if $label (i32.eq (i32.load8_u (i32.add (local.get 0) (local.get 2))) (i32.const 55))))
          (global.set $saved (local.get 2)))
        (global.set $work (local.get 3))
        (global.set $left (local.get 1)))
      (func (export "work") (result i32) (global.get $work))
      (func (export "saved") (result i32) (global.get $saved))
      (func (export "left") (result i32) (global.get $left)))`
    type Sync = { sync(image: number, bytes: number): void; work(): number; saved(): number; left(): number }
    const flashSync = (fast: boolean) => build<Sync>(MODULE, fast ? withFastFlashScan : undefined)
    const IMAGE = 1000
    /** `bytes` of image, erased but for `written` (an index, or none), with a written byte past its end */
    const scan = (s: ReturnType<typeof flashSync>, bytes: number, written: number | undefined) => {
        s.bytes.fill(0x37)
        if (written !== undefined) s.bytes[IMAGE + written] = 0x12
        s.bytes[IMAGE + bytes] = 0x99
        s.sync(IMAGE, bytes)
        return [s.saved(), s.work(), s.left()]
    }

    test("saves up to the same byte and counts the same work", () => {
        const bytewise = flashSync(false)
        const fast = flashSync(true)
        expect(fast.text).toMatch(/i64\.load/)
        let compared = 0
        for (let bytes = 0; bytes <= 100; bytes++)
            for (const written of [undefined, ...Array.from({ length: bytes }, (_, i) => i)]) {
                expect(scan(fast, bytes, written)).toEqual(scan(bytewise, bytes, written))
                compared++
            }
        expect(compared).toBe(101 + (100 * 101) / 2)
        // a whole flash, written in its first 3000 bytes: 16 a byte looked at, the written one included;
        // erased throughout, 16 a byte and 7 for the look past its start
        const FLASH = 128 * 1024
        expect(scan(fast, FLASH, 2999)).toEqual(scan(bytewise, FLASH, 2999))
        expect(scan(fast, FLASH, 2999)).toEqual([2999, 16 * (FLASH - 2999), 2999])
        expect(scan(fast, FLASH, undefined)).toEqual([-2, 16 * FLASH + 7, 0])
    })
})
