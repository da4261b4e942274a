// jacdac-ts' Scheduler on the simulation's virtual clock: the bus, its servers and clients keep time
// with the VMs and the plants.
import type { Scheduler } from "jacdac-ts"
import type { TimerHandle, VirtualClock } from "../clock.ts"

type Callback = (...args: unknown[]) => void

export class VirtualBusScheduler implements Scheduler {
    private intervals = new Map<number, TimerHandle>()
    private nextIntervalId = 1

    constructor(private clock: VirtualClock) {}

    get timestamp() {
        return this.clock.nowMs
    }

    resetTime(): void {
        throw new Error("the virtual clock cannot be reset")
    }

    setTimeout(handler: Callback, delayMs: number, ...args: unknown[]): TimerHandle {
        return this.clock.after(msToUs(delayMs), () => handler(...args))
    }

    clearTimeout(handle: TimerHandle | undefined) {
        this.clock.cancel(handle)
    }

    setInterval(handler: Callback, delayMs: number, ...args: unknown[]): number {
        const id = this.nextIntervalId++
        const periodUs = Math.max(1, msToUs(delayMs))
        const tick = () => {
            this.intervals.set(id, this.clock.after(periodUs, tick))
            handler(...args)
        }
        this.intervals.set(id, this.clock.after(periodUs, tick))
        return id
    }

    clearInterval(id: number) {
        this.clock.cancel(this.intervals.get(id))
        this.intervals.delete(id)
    }
}

const msToUs = (ms: number) => Math.max(0, Math.round((ms || 0) * 1000))
