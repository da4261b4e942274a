// A fake AS5047P for driver tests in the VM: its register map with the datasheet's reset values and
// its pipelined SPI protocol (a frame's response is shifted out during the next frame). Tests set
// the angle and the diagnostics, and inject errors.
import {
    AS5047P_ANGLECOM,
    AS5047P_DIAAGC,
    AS5047P_ERRFL,
    AS5047P_ERRFL_PARERR,
    AS5047P_SETTINGS1,
    AS5047P_SETTINGS2,
    AS5047P_ZPOSL,
    AS5047P_ZPOSM,
    parityOk,
    withParity,
} from "../as5047p"
import type { SpiBus } from "../registers"

import { RegisterFile } from "./register-file"

export class FakeAS5047P extends RegisterFile implements SpiBus {
    frames = 0
    private next = 0
    private writeAddr = -1

    constructor() {
        super()
        this.set(AS5047P_ERRFL, 0)
        this.set(AS5047P_ZPOSM, 0x0000)
        this.set(AS5047P_ZPOSL, 0x0000)
        this.set(AS5047P_SETTINGS1, 0x0001) // factory bit
        this.set(AS5047P_SETTINGS2, 0x0000)
        this.set(AS5047P_DIAAGC, 0x0080) // AGC mid-range, no flags
        this.set(AS5047P_ANGLECOM, 0)
    }


    /** the next command arrives with a broken parity bit, as with a glitch on MOSI */
    injectParityError() {
        this.set(AS5047P_ERRFL, this.get(AS5047P_ERRFL) | AS5047P_ERRFL_PARERR)
    }

    async transfer(tx: Buffer): Promise<Buffer> {
        const w = (tx.getAt(0, "u8") << 8) | tx.getAt(1, "u8")
        const out = this.next
        this.frames++
        if (!parityOk(w)) this.injectParityError()
        const ef = this.get(AS5047P_ERRFL) ? 0x4000 : 0
        const addr = w & 0x3fff
        if (this.writeAddr >= 0) {
            this.set(this.writeAddr, addr) // a data frame
            this.next = withParity(ef | this.get(this.writeAddr))
            this.writeAddr = -1
        } else if (w & 0x4000) {
            const v = this.get(addr)
            if (addr === AS5047P_ERRFL) this.set(AS5047P_ERRFL, 0) // cleared by reading
            this.next = withParity((addr === AS5047P_ERRFL ? 0 : ef) | v)
        } else {
            this.writeAddr = addr
            this.next = withParity(ef | this.get(addr)) // the old content
        }
        const rx = Buffer.alloc(2)
        rx.setAt(0, "u8", out >> 8)
        rx.setAt(1, "u8", out & 0xff)
        return rx
    }
}
