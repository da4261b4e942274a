// One chip on the board's SPI bus, as the drivers' `SpiBus`: DeviceScript's SPI (@devicescript/spi)
// has one bus and no chip select, so the select pin is driven here around each transfer, and the
// bus is reconfigured when the previous transfer went to another chip (the TMC4671 uses SPI mode 3,
// the AS5047P and the ADS131M04 mode 1).
import * as ds from "@devicescript/core"
import "./pin-types"
import { spi, type SPIConfig } from "@devicescript/spi"
import type { SpiBus } from "./registers"

/** the chip the bus was last configured for (all chips share the one bus) */
let configuredFor: SpiDevice = null

export class SpiDevice implements SpiBus {
    /** `config`: the bus pins and this chip's SPI mode and clock */
    constructor(
        private readonly config: SPIConfig,
        private readonly cs: ds.OutputPin
    ) {
        cs.setMode(ds.GPIOMode.OutputHigh) // deselected
    }

    async transfer(tx: Buffer): Promise<Buffer> {
        if (configuredFor !== this) {
            spi.configure(this.config)
            configuredFor = this
        }
        this.cs.setMode(ds.GPIOMode.OutputLow)
        try {
            return await spi.transfer(tx)
        } finally {
            this.cs.setMode(ds.GPIOMode.OutputHigh)
        }
    }
}
