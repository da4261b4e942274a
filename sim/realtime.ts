// Keeps a virtual clock in step with the wall clock. A simulated board that real tools talk to (over
// TCP, `hfw sim serve`) must run in wall-clock time: their timeouts, retries and the rate they send
// at are in real seconds, and a board running 100 x faster would answer a deploy with a program that
// has already timed out its watchdog a thousand times. Everywhere else the simulator runs as fast as
// it can.
//
// A host that stalls (a collection, another process holding the core) must not make the board leap
// over the stall: the frames sent to it meanwhile wait in the host's queue, and a board that ran the
// stalled time at once would trip its command watchdog on commands that were on their way (seen as
// BusLoss in the bench test over TCP on a loaded machine). So the pacer moves the board at most
// MAX_CATCH_UP_MS at a time: beyond that the board pauses with its host, and runs that much behind the
// wall clock from then on. A request and its answer take several turns of the host's event loop (the
// tool's timer, the socket each way, the board's next instant), and a loaded host can stall in each: at
// 25 ms a catch-up, six stalled turns carried a board 150 ms past a bench's poll, over the joint's
// 100 ms command watchdog (1 run in 6 of the stalling-host bench test under load); at 10 ms the same
// six turns are 60 ms.
import type { VirtualClock } from "./clock.ts"

/** how often the pacer catches the virtual clock up with the wall clock */
const TICK_MS = 1
/** the most virtual time one catch-up runs; a longer gap is the host stalling, and the board pauses */
export const MAX_CATCH_UP_MS = 10

export interface Pacer {
    /** resolves once the pacer has stopped */
    stop(): Promise<void>
}

/** `wallMs` reads the wall clock (performance.now; a test's own clock) */
export function paceToWallClock(clock: VirtualClock, onError: (e: Error) => void, wallMs: () => number = () => performance.now()): Pacer {
    let stopped = false
    /** how far the board runs behind the wall clock: its start, and every stall since */
    let lagMs = wallMs() - clock.nowMs
    const done = (async () => {
        try {
            while (!stopped) {
                const nowWallMs = wallMs()
                const behindMs = nowWallMs - lagMs - clock.nowMs
                // a stall: the board pauses for what it is longer than a catch-up
                if (behindMs > MAX_CATCH_UP_MS) lagMs += behindMs - MAX_CATCH_UP_MS
                await clock.runUntil(Math.floor((nowWallMs - lagMs) * 1000))
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
