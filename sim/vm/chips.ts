// The chips the boards run on, as the target timing model (target-model.ts) needs them: how long the
// work the simulator counts (counting.ts) takes on each, and the runtime's fixed native costs.
//
// No one has published how fast DeviceScript runs on any chip, so the cost figures are estimates
// with their reasoning, to be replaced by `hfw bench cpu` measurements on a board (it prints the two
// figures below, measured). Uncertainty: a factor of two either way on every figure;
// `--param cpu.scale=F` runs the sensitivity.
//
// Reasoning for the central figures, both chips:
// - The runtime is C compiled by ESP-IDF with its default optimisation, -Og (devicescript-esp32's
//   sdkconfigs set none), executing from flash through the 16-32 KB instruction cache. The counted
//   WebAssembly is the same C built at -O1 by Emscripten: one instruction per stack operation,
//   redundant local moves included, where a register machine needs about 0.5-0.6 of them; at about
//   1.3-1.5 cycles per native instruction at -Og with cache misses, that is ~0.8 cycles per counted
//   instruction.
// - What that gives, as a check: DeviceScript executes 250 (arithmetic) to 600 (field access by
//   name, allocation) counted instructions per opcode, so ~1.3-3 µs per opcode at 160 MHz, and a
//   simple loop iteration `x = x + i * 0.5` (15 opcodes) ~25 µs. CircuitPython on an ESP32-S3 runs a
//   counting loop at ~3 µs per iteration (~0.4 µs per bytecode); DeviceScript's maintainers put it
//   10-100x slower than native C (devicescript issue 175). The estimate sits at the slow end.
// - Neither chip has a double-precision FPU (the S3's is single precision, the C3 has none), and
//   DeviceScript numbers are doubles: every f64 operation the VM executes is a libgcc soft-float call,
//   counted separately (`hfw_f64`, division and square root weighted 5) at ~70 cycles each.
// - Native work the WebAssembly build does not do, per event: the main loop's wake (esp_timer task,
//   esp_event post, event-loop task switch, watchdog reset: main/main.c `post_loop`/`loop_handler`),
//   a received frame (UART DMA interrupt, the "JD callback" timer hop, queueing), a sent frame (tx
//   queue, UART DMA start and its completion interrupt), an SPI transaction (ESP-IDF
//   spi_device_queue_trans, its interrupt and the callback hop through the esp_timer task,
//   main/spi.c), plus the transfer's bits at the SPI clock.

export interface Chip {
    /** the part, e.g. "ESP32-S3" */
    name: string
    /** its CPU core */
    core: string
    /** the clock the stock runtime build runs at (ESP-IDF default: CONFIG_ESP_DEFAULT_CPU_FREQ_MHZ) */
    clockMHz: number
    /** the fastest clock the part allows */
    maxClockMHz: number
    /** CPU cycles per counted WebAssembly instruction */
    cyclesPerInstruction: number
    /** CPU cycles per counted soft-float double operation */
    cyclesPerF64Op: number
    /** cycles of native work per main-loop wake, per frame received, per frame sent */
    wakeCycles: number
    frameRxCycles: number
    frameTxCycles: number
    /** CPU cycles to queue an SPI transaction and handle its completion */
    spiCpuCycles: number
    /** time from queueing an SPI transaction to its first bit, and from its last bit to its callback */
    spiLatencyUs: number
    /** the DeviceScript garbage-collected heap (JD_GC_KB in devicescript-esp32 main/jd_user_config.h) */
    heapBytes: number
    /** where the figures come from */
    sources: string
}

const SHARED = {
    cyclesPerInstruction: 0.8,
    cyclesPerF64Op: 70,
    wakeCycles: 3000,
    frameRxCycles: 1500,
    frameTxCycles: 1200,
    spiCpuCycles: 2000,
    spiLatencyUs: 15,
    heapBytes: 64 * 1024,
}

export const CHIPS = {
    "esp32s3": {
        name: "ESP32-S3",
        core: "Xtensa LX7, single-precision FPU only",
        clockMHz: 160,
        maxClockMHz: 240,
        ...SHARED,
        sources: "estimates (sim/vm/chips.ts); ESP-IDF defaults 160 MHz, -Og; JD_GC_KB 64",
    },
    "esp32c3": {
        name: "ESP32-C3",
        core: "RISC-V RV32IMC, no FPU",
        clockMHz: 160,
        maxClockMHz: 160,
        ...SHARED,
        sources: "estimates (sim/vm/chips.ts); ESP-IDF defaults 160 MHz, -Og; JD_GC_KB 64",
    },
} satisfies Record<string, Chip>

export type ChipId = keyof typeof CHIPS
export const CHIP_IDS = Object.keys(CHIPS) as ChipId[]
