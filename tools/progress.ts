// Progress on stderr for runs longer than a moment; silent when stderr is not a terminal and in CI,
// except for a line every few seconds so logs show the run is alive.

/** prints a line of progress at most every 200 ms on a terminal (5 s otherwise), none in the first 1.5 s */
function progressLine() {
    const t0 = performance.now()
    let lastPrintMs = 0
    const tty = process.stderr.isTTY
    return {
        wallS: () => (performance.now() - t0) / 1000,
        /** `text()` printed unless too soon; `last` prints it as soon as the first 1.5 s are over */
        print(text: () => string, last = false) {
            const now = performance.now()
            if (now - t0 < 1500 || (!last && now - lastPrintMs < (tty ? 200 : 5000))) return
            lastPrintMs = now
            process.stderr.write(tty ? `\r${text()}   ` : text() + "\n")
        },
        done() {
            if (tty && lastPrintMs) process.stderr.write("\n")
        },
    }
}

/** one run's progress in simulated seconds */
export function progressBar(label: string) {
    const line = progressLine()
    return {
        update(doneS: number, totalS: number) {
            const pct = Math.min(100, (100 * doneS) / totalS).toFixed(0)
            line.print(() => `${label}: ${doneS.toFixed(1)} / ${totalS} s simulated (${pct} %), ${line.wallS().toFixed(0)} s wall`)
        },
        done: line.done,
    }
}

/** many runs' progress: runs done, failures so far, and the time left at the pace so far */
export function runsProgress(label: string) {
    const line = progressLine()
    return {
        update(done: number, failed: number, total: number) {
            line.print(() => {
                const leftS = (line.wallS() / done) * (total - done)
                return `${label}: ${done} / ${total} runs, ${failed} failed, ${line.wallS().toFixed(0)} s wall, about ${leftS.toFixed(0)} s left`
            }, done === total)
        },
        done: line.done,
    }
}
