// The runtime's native pin methods the drivers use (setMode, an analog input's value), typed here
// instead of by importing @devicescript/gpio: importing that module links its JS pin polling
// (subscribe, write: ~200 bytes plus names) into every program, and the boards' bytecode has a budget.
// Same signatures as @devicescript/gpio's, so a program that imports both still type-checks.
import "@devicescript/core"

declare module "@devicescript/core" {
    interface PinBase {
        /** the runtime's GPIO.setMode */
        setMode(mode: GPIOMode): void
    }
    interface AnalogInPin {
        /** 0 ... 1 of the ADC's full scale */
        value: number
    }
}
