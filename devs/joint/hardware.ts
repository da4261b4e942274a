// The joint board's hardware (boards/humanoid_joint.board.json): starts the TMC4671 and the AS5047P
// on the SPI bus and the two ADC inputs, and returns the power stage the control loop uses.
// Only called on a board (not ds.isSimulator()); the pin numbers come from the board configuration.
import * as ds from "@devicescript/core"
import { pins } from "@dsboard/humanoid_joint"
import { startAS5047P } from "../../drivers/as5047p"
import { SpiDevice } from "../../drivers/spi-device"
import { startTMC4671 } from "../../drivers/tmc4671"
import { AMPS_PER_IQ_COUNT, PWM_HZ, SPI_HZ } from "./board-constants"
import type { JointConfig } from "./config"
import { CURRENT_LOOP_CHIP } from "./settings-schema"
import { HardwarePowerStage } from "./hardware-power-stage"

// Assumed figures: the pin map is a design, not yet a schematic. Check each before a motor turns.
/** motor pole pairs (TODO: the chosen motor's figure) */
const POLE_PAIRS = 14
const SPI_MODE_TMC4671 = 3
const SPI_MODE_AS5047P = 1
/** ADC full scale and the bus voltage divider ratio */
const ADC_FULL_SCALE_V = 3.3
const VBUS_DIVIDER = 21
/** winding NTC: 10 kΩ at 25 °C, B 3435 K, on the low side of a 10 kΩ pull-up */
const NTC_R25_OHM = 10000
const NTC_BETA_K = 3435
const NTC_PULLUP_OHM = 10000
const KELVIN_0C = 273.15

/** the drivers started, with the encoder's mounting from the joint's settings */
export async function startJointHardware(cfg: JointConfig): Promise<HardwarePowerStage> {
    const focSpi = { sck: pins.SPI_SCK, mosi: pins.SPI_MOSI, miso: pins.SPI_MISO, mode: SPI_MODE_TMC4671, hz: SPI_HZ }
    const encoderSpi = { sck: pins.SPI_SCK, mosi: pins.SPI_MOSI, miso: pins.SPI_MISO, mode: SPI_MODE_AS5047P, hz: SPI_HZ }
    const foc = await startTMC4671({ bus: new SpiDevice(focSpi, pins.FOC_CS), polePairs: POLE_PAIRS, pwmHz: PWM_HZ })
    const encoder = await startAS5047P({ bus: new SpiDevice(encoderSpi, pins.ENC_CS) })
    const ntc = pins.NTC_ADC
    const vbus = pins.VBUS_ADC
    ntc.setMode(ds.GPIOMode.AnalogIn)
    vbus.setMode(ds.GPIOMode.AnalogIn)
    const stage = new HardwarePowerStage({
        chipLoop: cfg.currentLoop === CURRENT_LOOP_CHIP,
        foc,
        encoder,
        ampsPerCount: AMPS_PER_IQ_COUNT,
        encoderZeroRad: cfg.encZeroRad,
        encoderDir: cfg.encDir,
        // analog pins read 0 ... 1 of the ADC's full scale
        busV: () => (vbus.value as number) * ADC_FULL_SCALE_V * VBUS_DIVIDER,
        windingNtcC: () => {
            const x = ntc.value as number
            const rOhm = (NTC_PULLUP_OHM * x) / (1 - x)
            return 1 / (1 / (25 + KELVIN_0C) + Math.log(rOhm / NTC_R25_OHM) / NTC_BETA_K) - KELVIN_0C
        },
    })
    // bridge off before the gate driver is enabled (startTMC4671 leaves the PWM running at 0 V)
    await stage.drive({ bridgeOn: false, voltageV: 0, currentA: 0 })
    pins.FOC_ENABLE.setMode(ds.GPIOMode.OutputHigh)
    return stage
}
