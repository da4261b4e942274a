// The foot board's constants: the reference sole of plant.md. Per-cell gains and positions are
// settings (settings.ts); these are their values when a foot's settings do not give them.

/** cells: 0 heel outer, 1 heel inner, 2 toe outer, 3 toe inner */
export const CELLS = 4
/** cell positions from the sole centre (plant.md: +-0.09 m, +-0.04 m), x toward the toe, y outward */
export const CELL_X_MM = [-90, -90, 90, 90]
export const CELL_Y_MM = [40, -40, 40, -40]
/** newtons per ADC count: 150 % of the 500 N rating at the 24-bit ADC's full scale */
export const CELL_GAIN_N_PER_COUNT = [750 / 8388607, 750 / 8388607, 750 / 8388607, 750 / 8388607]
/** a cell above its rating is flagged as overloaded */
export const CELL_RATED_N = 500
/**
 * the highest threshold a register accepts: the sole's four cells at full scale (150 % of their
 * rating). A higher touchdown threshold could never be reached: the foot would never touch down.
 */
export const MAX_THRESHOLD_N = CELLS * 1.5 * CELL_RATED_N

export const DEFAULT_SAMPLE_PERIOD_MS = 10
export const MAX_SAMPLE_PERIOD_MS = 50
/** zero offsets are averaged over this long at start-up and on tare */
export const ZEROING_WINDOW_MS = 50
/** telemetry period: 25 reports a second leave room in the VM's ~50 packets/s for events and announces */
export const REPORT_PERIOD_MS = 40
