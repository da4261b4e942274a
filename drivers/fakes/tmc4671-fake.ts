// A fake TMC4671 for driver tests in the VM: its register map with the datasheet's reset values for
// the registers the driver uses, 40-bit datagrams, CHIPINFO selected through CHIPINFO_ADDR.
import {
    TMC4671_CHIPINFO_ADDR,
    TMC4671_CHIPINFO_DATA,
    TMC4671_INPUTS_RAW,
    TMC4671_INPUTS_RAW_ENABLE_IN,
    TMC4671_PWM_MAXCNT,
    TMC4671_SI_TYPE,
    TMC4671_SI_TYPE_VALUE,
    getU32BE,
    setU32BE,
} from "../tmc4671"
import type { SpiBus } from "../registers"

import { RegisterFile } from "./register-file"

export class FakeTMC4671 extends RegisterFile implements SpiBus {
    writes = 0

    constructor() {
        super()
        this.set(TMC4671_PWM_MAXCNT, 0x00000f9f)
        this.set(TMC4671_INPUTS_RAW, TMC4671_INPUTS_RAW_ENABLE_IN)
    }

    async transfer(tx: Buffer): Promise<Buffer> {
        const head = tx.getAt(0, "u8")
        const addr = head & 0x7f
        const rx = Buffer.alloc(5)
        if (head & 0x80) {
            this.writes++
            this.set(addr, getU32BE(tx, 1))
        } else {
            let v = this.get(addr)
            if (addr === TMC4671_CHIPINFO_DATA) v = this.get(TMC4671_CHIPINFO_ADDR) === TMC4671_SI_TYPE ? TMC4671_SI_TYPE_VALUE : 0
            setU32BE(rx, 1, v)
        }
        return rx
    }
}
