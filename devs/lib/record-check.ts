// The check that seals a board's settings record (one DeviceScript setting, JSON): the host writes
// {"id": ..., "v": [...], "check": N} where N is the Fletcher-16 sum of the record's text without
// the check, {"id": ..., "v": [...]}, as JSON.stringify writes it. The board recomputes it over
// the text it reads, so damage to the stored text (a flipped bit, a truncated write) that still
// parses, or still gives values in range, is refused too. Plain code, no imports: the firmware
// (setting-record.ts) and the host (the encoders' callers) run the same function.

/** the check's field, last in the record's text */
export const RECORD_CHECK_FIELD = ',"check":'

/**
 * Fletcher-16 of the text's characters (a record is ASCII; any other character is taken by its code
 * modulo 256 and a damaged byte will not match anyway). It detects every single-bit error.
 */
export function recordCheck(text: string): number {
    let a = 0
    let b = 0
    for (let i = 0; i < text.length; i++) {
        a = (a + (text.charCodeAt(i) & 0xff)) % 255
        b = (b + a) % 255
    }
    return b * 256 + a
}

/** `record` with its check as its last field (the host's side, before the record is written) */
export function sealRecord<T extends object>(record: T): T & { check: number } {
    return { ...record, check: recordCheck(JSON.stringify(record)) }
}

/**
 * True when `text`, a stored record, carries the check of the text before it: the text up to
 * RECORD_CHECK_FIELD, closed with "}", sums to `check`.
 */
export function recordCheckHolds(text: string, check: number): boolean {
    const at = text.lastIndexOf(RECORD_CHECK_FIELD)
    return at > 0 && recordCheck(text.slice(0, at) + "}") === check
}
