// First-order low-pass filter with a time constant, stepped with the measured period.

export class LowPass {
    value: number
    primed = false

    constructor(public timeConstantS: number) {
        this.value = 0
    }

    reset(value: number) {
        this.value = value
        this.primed = true
    }

    update(x: number, dtS: number): number {
        if (!this.primed) {
            this.reset(x)
            return x
        }
        const alpha = dtS / (this.timeConstantS + dtS)
        this.value += alpha * (x - this.value)
        return this.value
    }
}
