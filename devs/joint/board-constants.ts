// The joint board's fixed hardware figures, as plain data: read by the firmware (devs/joint/hardware.ts,
// the chip's current loop) and by the simulator's model of the motor controller chip, so both take the
// same. Assumed figures: the pin map is a design, not yet a schematic. Check each before a motor turns.

/** the TMC4671's PWM frequency (design/plant.md), and with it the rate of its own current loop */
export const PWM_HZ = 20000
/** Iq counts to amperes: the shunt, amplifier and ADC_I0_SCALE_OFFSET scaling (TODO: measured on the bench) */
export const AMPS_PER_IQ_COUNT = 100 / 32768
/** the TMC4671's voltage scale: UQ 32768 counts are the supply voltage V_M (datasheet rev 2.08) */
export const UQ_FULL_SCALE = 32768
/** bridge duty limit (design/plant.md: duty limited to ±0.95) */
export const MAX_DUTY = 0.95
/** SPI clock for the TMC4671 and the AS5047P (both allow several MHz) */
export const SPI_HZ = 1000000
