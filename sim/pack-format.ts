// Packs the numeric Jacdac formats the simulator sends every period (a sample's reading, a leg's
// setpoint frame), with writers built once from the service spec's packFormat: jacdac-ts' jdpack
// parses the format and concatenates a buffer per field on every call, which a 14-board walk did
// 200 times a simulated second. Fixed-size numeric fields only, and at most one repeated group at
// the end (`r: ...`), as those formats have.

type Writer = (v: DataView, at: number, x: number) => void

/** the numeric Jacdac storage types: size and little-endian writer */
const FIELD: Record<string, [number, Writer]> = {
    u8: [1, (v, at, x) => v.setUint8(at, x)],
    u16: [2, (v, at, x) => v.setUint16(at, x, true)],
    u32: [4, (v, at, x) => v.setUint32(at, x, true)],
    i8: [1, (v, at, x) => v.setInt8(at, x)],
    i16: [2, (v, at, x) => v.setInt16(at, x, true)],
    i32: [4, (v, at, x) => v.setInt32(at, x, true)],
    f32: [4, (v, at, x) => v.setFloat32(at, x, true)],
    f64: [8, (v, at, x) => v.setFloat64(at, x, true)],
}

/** writes `values` with `fields` from `at`; returns where the next field goes */
function writeFields(fields: readonly [number, Writer][], view: DataView, at: number, values: readonly number[]): number {
    for (let i = 0; i < fields.length; i++) {
        const [size, write] = fields[i]
        write(view, at, values[i])
        at += size
    }
    return at
}

export class FixedPacker {
    /** bytes of the fields before the repeated group */
    readonly headBytes: number
    /** bytes of one repetition of the group (0: none) */
    readonly rowBytes: number
    private readonly head: [number, Writer][]
    private readonly row: [number, Writer][]

    /** `what` names the format in errors, e.g. "services/legsetpoints.md setpoints" */
    constructor(format: string, what: string) {
        const [headPart, rowPart, ...more] = format.trim().split(/\s*r:\s*/)
        if (more.length) throw new Error(`${what}: '${format}' has more than one repeated group`)
        const writers = (part: string | undefined) =>
            (part ?? "")
                .split(/\s+/)
                .filter(Boolean)
                .map(f => {
                    const w = FIELD[f]
                    if (!w) throw new Error(`${what}: field type '${f}' is not one of ${Object.keys(FIELD).join(", ")}`)
                    return w
                })
        this.head = writers(headPart)
        this.row = writers(rowPart)
        this.headBytes = this.head.reduce((n, [size]) => n + size, 0)
        this.rowBytes = this.row.reduce((n, [size]) => n + size, 0)
    }

    /** the payload's size with `rows` repetitions */
    bytes(rows = 0): number {
        return this.headBytes + rows * this.rowBytes
    }

    /** writes the head's values, then each row's, from `at`; as jdpack lays them out */
    write(view: DataView, at: number, head: readonly number[], rows: readonly (readonly number[])[] = []) {
        at = writeFields(this.head, view, at, head)
        for (const values of rows) at = writeFields(this.row, view, at, values)
    }
}
