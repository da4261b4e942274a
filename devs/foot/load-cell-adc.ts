// The sole's load cells on the board: the ADS131M04 set up for strain-gauge bridges and read once
// per sample period into the same raw signed counts (full scale ±8388607) the simulator's
// FootLoadCells reading carries (services/footloadcells.md). The SPI bus is injected, so the VM
// tests run this on the chip's fake (drivers/fakes/ads131m04-fake.ts).
import { type ADS131M04, ADS131M04_CHANNELS, ADS131M04_STATUS_RESET, startADS131M04 } from "../../drivers/ads131m04"
import type { SpiBus } from "../../drivers/registers"

/**
 * Output data rate. The board reads the newest conversion once a sample period (10 ms on the stock
 * runtime): the conversions between reads are overwritten unread (the chip has no FIFO), and each one
 * read is the sinc3 filter's average over the last three conversion periods. Measured in foot-gait
 * under the target model (1000 steps): at 4 kHz the noise of a conversion is too large (226 false
 * contacts with noiseN=3), at 2 kHz still 8; at 1 kHz none, for ~0.8 ms more touchdown latency (the
 * filter's group delay, 1.5 conversion periods). So 1 kHz.
 */
export const ADC_RATE_HZ = 1000
/**
 * PGA gain: full scale ±1.2 V / 128 = ±9.4 mV, 710 N of a 500 N cell rated 2 mV/V at 3.3 V excitation
 * (assumed: check the chosen cells). config.ts's default gain puts full scale at 750 N; each cell's
 * gain setting (N/count) is calibrated on the bench anyway.
 */
export const ADC_GAIN = 128

/** Resets and checks the ADC (a wrong or silent chip throws), sets the data rate and gain. */
export async function startLoadCellAdc(bus: SpiBus): Promise<ADS131M04> {
    return await startADS131M04({ bus, dataRateHz: ADC_RATE_HZ, gain: ADC_GAIN })
}

/**
 * Reads the newest conversion into `counts` (cells 0..3) and returns the DRDY bits (bit n: channel n
 * converted since the last read). Returns 0 (no channel converted, as far as the program can tell)
 * when the SPI exchange fails, `counts` unchanged, and when the chip has reset since start-up
 * (STATUS.RESET: a brown-out puts the gain back to 1, so its counts are no longer the cells' forces);
 * either way the cells go silent and latch their fault.
 */
export async function readCounts(adc: ADS131M04, counts: number[]): Promise<number> {
    try {
        const s = await adc.readSamples()
        if (s.status & ADS131M04_STATUS_RESET) return 0
        for (let ch = 0; ch < ADS131M04_CHANNELS; ch++) counts[ch] = s.codes[ch]
        return s.drdy
    } catch (e) {
        return 0
    }
}
