// A chip's register contents for fake register maps: addresses not yet written read as 0.
// (The DeviceScript VM refuses large sparse arrays, hence two parallel arrays.)

export class RegisterFile {
    private addrs: number[] = []
    private values: number[] = []

    /** register content (0 for an address the chip does not have) */
    get(addr: number): number {
        const i = this.addrs.indexOf(addr)
        return i < 0 ? 0 : this.values[i]
    }

    set(addr: number, value: number) {
        const i = this.addrs.indexOf(addr)
        if (i >= 0) this.values[i] = value
        else {
            this.addrs.push(addr)
            this.values.push(value)
        }
    }
}
