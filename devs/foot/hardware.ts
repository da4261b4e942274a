// The foot board's hardware (boards/humanoid_foot.board.json): the ADS131M04 on the SPI bus. Only
// called on a board (not ds.isSimulator()); the pin numbers come from the board configuration.
// DRDY is not wired to an interrupt: the program reads on its own sample timer, and the STATUS word's
// DRDY bits tell which channels converted since the last read.
import * as ds from "@devicescript/core"
import { pins } from "@dsboard/humanoid_foot"
import { SpiDevice } from "../../drivers/spi-device"
import type { ADS131M04 } from "../../drivers/ads131m04"
import { startLoadCellAdc } from "./load-cell-adc"

/** the ADS131M04 samples on SCLK's falling edge and shifts out on its rising edge: SPI mode 1 */
const SPI_MODE_ADS131M04 = 1
/** 4 MHz: a 18-byte frame in 36 µs (the chip allows 25 MHz) */
const SPI_HZ = 4000000

export async function startFootHardware(): Promise<ADS131M04> {
    // SYNC/RESET is active low: held high, the chip runs
    pins.ADC_SYNC_RESET.setMode(ds.GPIOMode.OutputHigh)
    const spi = { sck: pins.SPI_SCK, mosi: pins.SPI_MOSI, miso: pins.SPI_MISO, mode: SPI_MODE_ADS131M04, hz: SPI_HZ }
    return await startLoadCellAdc(new SpiDevice(spi, pins.ADC_CS))
}
