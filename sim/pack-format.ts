// Packs and unpacks the numeric Jacdac formats the simulator handles every period (a sample's
// reading, a leg's setpoint frame, a joint's commands and telemetry), with writers and readers built
// once from the service spec's packFormat: jacdac-ts' jdpack and jdunpack parse the format on every
// call (and jdpack concatenates a buffer per field), which a 14-board walk did 200 times a simulated
// second. Fixed-size numeric fields only, and at most one repeated group at the end (`r: ...`), as
// those formats have.

type Writer = (v: DataView, at: number, x: number) => void
type Reader = (v: DataView, at: number) => number

/** the numeric Jacdac storage types: size, little-endian writer and reader */
const FIELD: Record<string, [number, Writer, Reader]> = {
    u8: [1, (v, at, x) => v.setUint8(at, x), (v, at) => v.getUint8(at)],
    u16: [2, (v, at, x) => v.setUint16(at, x, true), (v, at) => v.getUint16(at, true)],
    u32: [4, (v, at, x) => v.setUint32(at, x, true), (v, at) => v.getUint32(at, true)],
    i8: [1, (v, at, x) => v.setInt8(at, x), (v, at) => v.getInt8(at)],
    i16: [2, (v, at, x) => v.setInt16(at, x, true), (v, at) => v.getInt16(at, true)],
    i32: [4, (v, at, x) => v.setInt32(at, x, true), (v, at) => v.getInt32(at, true)],
    f32: [4, (v, at, x) => v.setFloat32(at, x, true), (v, at) => v.getFloat32(at, true)],
    f64: [8, (v, at, x) => v.setFloat64(at, x, true), (v, at) => v.getFloat64(at, true)],
}

/** writes `values` with `fields` from `at`; returns where the next field goes */
function writeFields(fields: readonly [number, Writer, Reader][], view: DataView, at: number, values: readonly number[]): number {
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
    private readonly head: [number, Writer, Reader][]
    private readonly row: [number, Writer, Reader][]

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

    /** a payload of the head's values alone (a command's), as jdpack makes it */
    pack(head: readonly number[]): Uint8Array {
        const data = new Uint8Array(this.headBytes)
        writeFields(this.head, new DataView(data.buffer), 0, head)
        return data
    }

    /**
     * the head's values from a payload, as jdunpack reads them; undefined when the payload is shorter
     * than the head (the caller decides what a short packet means)
     */
    readHead(data: Uint8Array): number[] | undefined {
        if (data.length < this.headBytes) return undefined
        const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
        const out: number[] = []
        let at = 0
        for (const [size, , read] of this.head) {
            out.push(read(view, at))
            at += size
        }
        return out
    }
}
