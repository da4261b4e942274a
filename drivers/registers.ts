// What the drivers share: the SPI exchange they are given, and register access written once.
// Free functions rather than methods: the DeviceScript compiler keeps every method of a class it
// links but drops functions nothing calls, and the board programs have a bytecode budget.

/** One full-duplex SPI exchange with the chip select held for its length. */
export interface SpiBus {
    transfer(tx: Buffer): Promise<Buffer>
}

/** A chip with addressed registers. */
export interface RegisterChip {
    readRegister(addr: number): Promise<number>
    writeRegister(addr: number, value: number): Promise<void>
}

/** read-modify-write: clears `clearMask`, then sets `setMask`; returns the value written */
export async function modifyRegister(chip: RegisterChip, addr: number, clearMask: number, setMask: number): Promise<number> {
    const v = ((await chip.readRegister(addr)) & ~clearMask) | setMask
    await chip.writeRegister(addr, v)
    return v
}

const HEX_DIGITS = "0123456789abcdef"
/** "0x" and the hex digits of a value up to 32 bits, as the datasheets write them (DeviceScript numbers have no toString(16)) */
export function hex(v: number): string {
    let out = ""
    for (let shift = 28; shift >= 0; shift -= 4) {
        const d = (v >>> shift) & 0xf
        if (d || out.length || shift === 0) out += HEX_DIGITS.charAt(d)
    }
    return "0x" + out
}
