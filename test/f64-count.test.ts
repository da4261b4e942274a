// The VM's double-precision operations, counted apart as soft-float calls (sim/vm/counting.ts
// f64Weight), are double operations only: binaryen numbers unary and binary operators each from 0, and
// an integer comparison that shares its number with a double operator of the other kind (i32.le_s and
// f64.sqrt, i32.lt_s and f64.nearest, ...) once counted as one: a joint's walking period counted 2,304
// where 384 are doubles.
import { expect, test } from "vitest"
import { f64Weight } from "../sim/vm/counting.ts"

test("only double-precision operations count, division and square root 5, whatever the operator's number", async () => {
    const { default: B } = await import("binaryen")
    const weights: Record<string, number> = {
        "(f64.add (local.get 0) (local.get 1))": 1,
        "(f64.lt (local.get 0) (local.get 1))": 1,
        "(f64.div (local.get 0) (local.get 1))": 5,
        "(f64.sqrt (local.get 0))": 5,
        "(f64.nearest (local.get 0))": 1,
        "(f64.convert_i32_s (local.get 2))": 1,
        "(f64.promote_f32 (local.get 4))": 1,
        "(i32.trunc_f64_s (local.get 0))": 1,
        // a bit operation on a double is no soft-float call
        "(f64.neg (local.get 0))": 0,
        // integer and single-precision operators, among them those numbered as double ones of the other kind
        "(i32.le_s (local.get 2) (local.get 3))": 0,
        "(i32.lt_s (local.get 2) (local.get 3))": 0,
        "(i32.eq (local.get 2) (local.get 3))": 0,
        "(i32.shr_u (local.get 2) (local.get 3))": 0,
        "(i32.rotl (local.get 2) (local.get 3))": 0,
        "(i64.extend_i32_u (local.get 2))": 0,
        "(f32.add (local.get 4) (local.get 4))": 0,
        "(i32.clz (local.get 2))": 0,
    }
    const weight = f64Weight(B as never)
    const bodies = Object.keys(weights)
    const m = B.parseText(
        `(module ${bodies.map((body, i) => `(func $f${i} (param f64 f64 i32 i32 f32) (drop ${body}))`).join(" ")})`
    )
    bodies.forEach((body, i) => {
        const op = (B.getExpressionInfo(B.getFunctionInfo(m.getFunction(`f${i}`)).body) as unknown as { value: number }).value
        const info = B.getExpressionInfo(op) as unknown as { id: number; op: number }
        expect([body, weight(info.id, info.op)]).toEqual([body, weights[body]])
    })
    m.dispose()
    // (i32.le_s and f64.sqrt share their number)
    expect((B as unknown as Record<string, number>).LeSInt32).toBe((B as unknown as Record<string, number>).SqrtFloat64)
})
