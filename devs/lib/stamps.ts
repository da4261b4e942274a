// The boards' 32-bit microsecond sample stamps: they wrap every 71.6 minutes.

/** the stamps' span: they count microseconds modulo 2^32 */
export const U32_SPAN = 4294967296
/** half the span: a difference of stamps beyond it either way is the wrap */
export const HALF_U32_SPAN = 2147483648

/**
 * `stampUs` minus `lastUs`, two stamps, the nearest way round the wrap: a difference beyond half the
 * span either way is the clock's wrap, so what is below zero is a stamp older than the last (a late
 * answer to a request), never a wrap. (Read as a wrap, such a stamp was a step of 71 minutes: the
 * joint's current loop wound up to the bus voltage at once; devs/joint/controller.ts writes this out
 * in its step.)
 */
export function stampDifferenceUs(stampUs: number, lastUs: number): number {
    const dUs = stampUs - lastUs
    if (dUs < -HALF_U32_SPAN) return dUs + U32_SPAN
    if (dUs >= HALF_U32_SPAN) return dUs - U32_SPAN
    return dUs
}

/** board microseconds as a stamp (the VM computes % on 32-bit integers, so no modulo here) */
export const wrapU32 = (us: number) => us - Math.floor(us / U32_SPAN) * U32_SPAN
