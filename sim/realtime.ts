// Keeps a virtual clock in step with the wall clock. A simulated board that real tools talk to (over
// TCP, `hfw sim serve`) must run in wall-clock time: their timeouts, retries and the rate they send
// at are in real seconds, and a board running 100 x faster would answer a deploy with a program that
// has already timed out its watchdog a thousand times. Everywhere else the simulator runs as fast as
// it can.
import type { VirtualClock } from "./clock.ts"

/** how often the pacer catches the virtual clock up with the wall clock */
const TICK_MS = 1

export interface Pacer {
    /** resolves once the pacer has stopped */
    stop(): Promise<void>
}

export function paceToWallClock(clock: VirtualClock, onError: (e: Error) => void): Pacer {
    const wallStartMs = performance.now() - clock.nowMs
    let stopped = false
    const done = (async () => {
        try {
            while (!stopped) {
                await clock.runUntil(Math.floor((performance.now() - wallStartMs) * 1000))
                await new Promise(resolve => setTimeout(resolve, TICK_MS))
            }
        } catch (e) {
            onError(e as Error)
        }
    })()
    return {
        stop: async () => {
            stopped = true
            await done
        },
    }
}
