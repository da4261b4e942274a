// One virtual clock for the whole simulation: VM wake-ups, the Jacdac bus' timers and the plants'
// integration all run from its event queue, in (time, insertion order), so a run is a function of its
// inputs and never of host timing.

export interface TimerHandle {
    readonly atUs: number
    cancelled: boolean
}

interface Entry extends TimerHandle {
    seq: number
    fn: () => void
    /** an event of one board's own model (scheduleLocal) */
    local: boolean
}

/**
 * Lets pending promise callbacks run. Awaiting a few microtask turns runs the continuations host code
 * (jacdac-ts servers and clients, scenario code) queued in this instant, in an order that depends only
 * on the code; a chain deeper than that simply goes on in the next instant, just as deterministically.
 * The run never waits on host timers, so host timing cannot leak into it.
 */
const MICROTASK_TURNS = 8
export async function drainPromises() {
    for (let i = 0; i < MICROTASK_TURNS; i++) await undefined
}
/** every this much virtual time the run yields to the host's event loop (output, signals) */
const HOST_YIELD_EVERY_US = 100_000

/**
 * A time that is not a finite number never comes: an event at NaN sorts nowhere and would keep
 * runUntil from moving time on, with the host's event loop starved. It is refused where it enters.
 */
function finiteTime(tUs: number, what: string) {
    if (!Number.isFinite(tUs)) throw new Error(`the virtual clock cannot ${what} at ${tUs} µs: not a finite time`)
}

export class VirtualClock {
    private timeUs = 0
    private seq = 0
    private heap: Entry[] = []
    private beforeAdvance: ((tUs: number) => void)[] = []
    private beforeEvent: (() => void)[] = []

    get nowUs() {
        return this.timeUs
    }
    get nowMs() {
        return this.timeUs / 1000
    }

    /** `hook(tUs)` runs before the clock moves to tUs: plants integrate up to their last grid point before it. */
    onAdvance(hook: (tUs: number) => void) {
        this.beforeAdvance.push(hook)
    }

    /**
     * `hook()` runs once in an instant, before the first event in it that was not scheduled with
     * scheduleLocal: plants integrate up to now, so that any code may read or change them.
     */
    onEvent(hook: () => void) {
        this.beforeEvent.push(hook)
    }

    schedule(atUs: number, fn: () => void): TimerHandle {
        return this.add(atUs, fn, false)
    }

    /**
     * An event of one board's own model (its VM's run, its SPI transfers) that brings up to now only
     * the plant it reads or changes (Simulation.integrate's catch-up): the other plants stay on their
     * integration grid. Most instants of a walk are such events, at times between grid points; each
     * used to cost every plant a step cut short there.
     */
    scheduleLocal(atUs: number, fn: () => void): TimerHandle {
        return this.add(atUs, fn, true)
    }

    private add(atUs: number, fn: () => void, local: boolean): TimerHandle {
        finiteTime(atUs, "schedule an event")
        const e: Entry = { atUs: Math.max(atUs, this.timeUs), seq: this.seq++, fn, cancelled: false, local }
        this.push(e)
        return e
    }

    after(delayUs: number, fn: () => void): TimerHandle {
        return this.schedule(this.timeUs + delayUs, fn)
    }

    /** runs `fn` every `periodUs` from one period from now, for the rest of the run */
    every(periodUs: number, fn: () => void) {
        const tick = () => {
            fn()
            this.after(periodUs, tick)
        }
        this.after(periodUs, tick)
    }

    cancel(h: TimerHandle | undefined) {
        if (h) h.cancelled = true
    }

    /**
     * Runs every event due up to `endUs`, then moves the clock to `endUs`. After the events of one
     * instant, pending promise callbacks run before time moves on. `onProgress` is called at most
     * every `progressEveryUs` of virtual time.
     */
    async runUntil(endUs: number, onProgress?: (tUs: number) => void, progressEveryUs = 100_000) {
        finiteTime(endUs, "run until")
        let nextProgressUs = this.timeUs + progressEveryUs
        let nextYieldUs = this.timeUs + HOST_YIELD_EVERY_US
        for (;;) {
            const next = this.peek()
            if (!next || next.atUs > endUs) break
            if (next.atUs > this.timeUs) this.advance(next.atUs)
            let broughtUp = false
            while (this.heap.length && this.heap[0].atUs === this.timeUs) {
                const e = this.pop()!
                if (e.cancelled) continue
                if (!e.local && !broughtUp) {
                    for (const h of this.beforeEvent) h()
                    broughtUp = true
                }
                e.fn()
            }
            await drainPromises()
            if (this.timeUs >= nextYieldUs) {
                await new Promise<void>(resolve => setImmediate(resolve))
                nextYieldUs = this.timeUs + HOST_YIELD_EVERY_US
            }
            if (onProgress && this.timeUs >= nextProgressUs) {
                onProgress(this.timeUs)
                nextProgressUs = this.timeUs + progressEveryUs
            }
        }
        if (endUs > this.timeUs) this.advance(endUs)
    }

    private advance(tUs: number) {
        for (const h of this.beforeAdvance) h(tUs)
        this.timeUs = tUs
    }

    private peek(): Entry | undefined {
        while (this.heap.length && this.heap[0].cancelled) this.pop()
        return this.heap[0]
    }

    private less(a: Entry, b: Entry) {
        return a.atUs < b.atUs || (a.atUs === b.atUs && a.seq < b.seq)
    }

    private push(e: Entry) {
        const h = this.heap
        h.push(e)
        let i = h.length - 1
        while (i > 0) {
            const p = (i - 1) >> 1
            if (!this.less(h[i], h[p])) break
            ;[h[i], h[p]] = [h[p], h[i]]
            i = p
        }
    }

    private pop(): Entry | undefined {
        const h = this.heap
        const top = h[0]
        const last = h.pop()!
        if (h.length) {
            h[0] = last
            let i = 0
            for (;;) {
                const l = 2 * i + 1
                const r = l + 1
                let m = i
                if (l < h.length && this.less(h[l], h[m])) m = l
                if (r < h.length && this.less(h[r], h[m])) m = r
                if (m === i) break
                ;[h[i], h[m]] = [h[m], h[i]]
                i = m
            }
        }
        return top
    }
}
