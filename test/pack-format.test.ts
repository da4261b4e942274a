// The simulator's packer for the formats it handles every period lays bytes out as jacdac-ts' jdpack
// does, and reads them back as jdunpack does.
import { jdpack, jdunpack } from "jacdac-ts"
import { describe, expect, test } from "vitest"
import { FixedPacker } from "../sim/pack-format.ts"
import { customService, servicePacket } from "../sim/services.ts"

describe("FixedPacker", () => {
    test("the leg frame and the power stage's reading, as jdpack packs them", () => {
        const legs = servicePacket("legsetpoints", "setpoints").packFormat
        const rows = Array.from({ length: 6 }, (_, i) => [0.1 * i - 0.2, -1.5 + i, 600, 12.5, -33.3 * i])
        const head = [0b101101, 1, 65535, 0, 40000, 7, 2]
        const p = new FixedPacker(legs, "legsetpoints")
        const out = new Uint8Array(p.bytes(rows.length))
        p.write(new DataView(out.buffer), 0, head, rows)
        expect(Array.from(out)).toEqual(Array.from(jdpack(legs, [...head, rows])))

        const reading = customService("jointpowerstage").packets.find(q => q.identifier === 0x101 && q.kind === "ro")!.packFormat!
        const values = [4294967295, -12.75, 6.2, 85.5, 47.9, 65535]
        const r = new FixedPacker(reading, "jointpowerstage")
        expect(r.rowBytes).toBe(0)
        const bytes = new Uint8Array(r.bytes())
        r.write(new DataView(bytes.buffer), 0, values)
        expect(Array.from(bytes)).toEqual(Array.from(jdpack(reading, values)))
    })

    test("a joint's commands and telemetry, as jdpack packs and jdunpack reads them; a short payload reads as nothing", () => {
        const current = servicePacket("jointactuator", "current").packFormat
        const impedance = servicePacket("jointactuator", "impedance").packFormat
        const telemetry = servicePacket("jointactuator", "telemetry").packFormat
        const enable = servicePacket("jointactuator", "enable", "command").packFormat
        for (const [format, values] of [
            [enable, [65535]],
            [current, [-12.345, 65535]],
            [current, [NaN, 1]],
            [impedance, [0.5, -2.25, 300.1, 4.75, -80, 4242]],
        ] as const)
            expect(Array.from(new FixedPacker(format, "x").pack(values))).toEqual(Array.from(jdpack(format, [...values])))
        const t = [1.5, -3.25, 0.123, -7, 55.5, 101.25, 2, 10000, 65535, 0, 3]
        const bytes = jdpack(telemetry, t)
        const p = new FixedPacker(telemetry, "telemetry")
        expect(p.readHead(bytes)).toEqual(jdunpack(bytes, telemetry))
        expect(p.readHead(bytes.subarray(0, bytes.length - 1))).toBeUndefined()
        // a payload inside a larger buffer (a packet's data is a view of its frame)
        const framed = new Uint8Array(bytes.length + 7)
        framed.set(bytes, 5)
        expect(p.readHead(framed.subarray(5, 5 + bytes.length))).toEqual(jdunpack(bytes, telemetry))
        // the foot's contact report
        const contact = servicePacket("footcontact", "contact").packFormat
        const c = jdpack(contact, [4000000000, 512.5, -40.25, 12.125, 100, 120, 150, 142.5, 3, 1, 15])
        expect(new FixedPacker(contact, "contact").readHead(c)).toEqual(jdunpack(c, contact))
    })

    test("a type it cannot pack is refused, naming the format and the types it packs", () => {
        expect(() => new FixedPacker("u16 s", "services/x.md y")).toThrow(/services\/x\.md y: field type 's' is not one of u8, u16, u32/)
        expect(() => new FixedPacker("u8 r: u8 r: u8", "z")).toThrow(/more than one repeated group/)
    })
})
