// Progress on stderr for runs longer than a moment; silent when stderr is not a terminal and in CI,
// except for a line every few seconds so logs show the run is alive.
export function progressBar(label: string) {
    const t0 = performance.now()
    let lastPrintMs = 0
    const tty = process.stderr.isTTY
    return {
        update(doneS: number, totalS: number) {
            const now = performance.now()
            if (now - t0 < 1500 || now - lastPrintMs < (tty ? 200 : 5000)) return
            lastPrintMs = now
            const pct = Math.min(100, (100 * doneS) / totalS).toFixed(0)
            const text = `${label}: ${doneS.toFixed(1)} / ${totalS} s simulated (${pct} %), ${((now - t0) / 1000).toFixed(0)} s wall`
            process.stderr.write(tty ? `\r${text}   ` : text + "\n")
        },
        done() {
            if (tty && lastPrintMs) process.stderr.write("\n")
        },
    }
}
