// The board a deploy talks to, watched while it does: a restart (a brown-out, a pulled plug, a reset
// button) shows in the board's announce, whose restart counter goes back (jacdac-ts' RESTART); a board
// that stopped answering sends no announce (every 500 ms otherwise). After a restart the board is
// read again once its manager could have started its stored program, so the deploy says what it
// holds and runs then, not what it should.
import { PACKET_ANNOUNCE, RESTART, type JDDevice } from "jacdac-ts"
import { STORED_PROGRAM_START_MS } from "../../sim/vm/board-vm.ts"
import { MGR_REG, managerOf, readManagerState, readRegister, readSetting, settingsOf, waitFor } from "./board-link.ts"

/** three announce periods without an announce: the board is gone (its power, its bus) */
export const SILENT_MS = 1500
/**
 * A restarted board's manager starts its stored program STORED_PROGRAM_START_MS after its boot (its
 * first announce, which tells the deploy of the restart): the deploy waits for that start this long
 * from the restart seen (a tick, the link's latency and a board paced to the wall clock on a busy host).
 */
export const PROGRAM_START_WAIT_MS = STORED_PROGRAM_START_MS + 1000

export type BoardAfterFailure = "restarted" | "silent" | "answering"

export class BoardWatch {
    restarted = false
    /** when the (first) restart was seen (Date.now()) */
    restartSeenMs: number | undefined
    private lastAnnounceMs = Date.now()

    constructor(
        private dev: JDDevice,
        onRestart: () => void
    ) {
        dev.on(PACKET_ANNOUNCE, () => (this.lastAnnounceMs = Date.now()))
        dev.on(RESTART, () => {
            this.restarted = true
            this.restartSeenMs ??= Date.now()
            onRestart()
        })
    }

    /**
     * After a restart: waits until the board's manager runs its stored program (the runtime's empty one
     * when none is stored), for at most PROGRAM_START_WAIT_MS from the restart seen; how long after the
     * restart it ran, or undefined when it had not by then.
     */
    async programStartedAfterMs(): Promise<number | undefined> {
        const sinceMs = this.restartSeenMs ?? Date.now()
        const leftMs = Math.max(0, sinceMs + PROGRAM_START_WAIT_MS - Date.now())
        const running = async () => (await readRegister(managerOf(this.dev), MGR_REG.running))[0] === 1
        return waitFor("the restarted board's program", running, leftMs).then(
            () => Date.now() - sinceMs,
            () => undefined
        )
    }

    /**
     * After a step failed otherwise (a reply or an acknowledgement that did not come): whether the board
     * restarted, went silent or still answers, from its next announce (or none within SILENT_MS).
     */
    async afterFailure(): Promise<BoardAfterFailure> {
        const sinceMs = Date.now()
        for (;;) {
            if (this.restarted) return "restarted"
            if (this.lastAnnounceMs > sinceMs) return "answering"
            if (Date.now() - sinceMs > SILENT_MS) return "silent"
            await new Promise(r => setTimeout(r, 50))
        }
    }
}

/** what a deploy knows to compare the board with */
export interface DeployedAndBefore {
    /** the program being deployed (SHA-256, hex) */
    newSha256: string
    /** the settings being written (their JSON text), if any */
    newSettings?: string
    settingKey: string
    /** what the board held before the deploy changed anything, once read */
    before?: { programSha256: string | undefined; settings: string | undefined }
}

/**
 * What a restarted board stores and runs now, read from it, in words, against what it held before and
 * what the deploy writes; `startedAfterMs`: how long after the restart its program ran (undefined: not
 * within PROGRAM_START_WAIT_MS).
 */
export async function describeRestartedBoard(dev: JDDevice, known: DeployedAndBefore, startedAfterMs: number | undefined): Promise<string> {
    const mgr = await readManagerState(managerOf(dev))
    const settings = await readSetting(settingsOf(dev), known.settingKey)
    const sha = mgr.programSha256
    const short = (s: string) => `${s.slice(0, 16)}...`
    const before = known.before
    const program = !sha
        ? "stores no program (the runtime keeps a program only once it is whole)"
        : sha === known.newSha256
          ? `stores the whole new program (${short(sha)})${before?.programSha256 === sha ? ", the same as its previous one" : ""}`
          : !before
            ? `stores program ${short(sha)}, not the new one`
            : sha === before.programSha256
              ? `stores its previous program (${short(sha)})`
              : `stores program ${short(sha)}, neither its previous one nor the new one`
    const runs = mgr.running ? (sha ? "and runs it" : "and runs none") : mgr.autostart ? "and has not started it yet (autostart on)" : "and is stopped (autostart off)"
    const settingsSay =
        settings === undefined
            ? "it stores no settings"
            : settings === known.newSettings
              ? `its settings are the new ones${before?.settings === settings ? " (the same as the old)" : ""}`
              : !before
                ? `its settings are not the new ones: ${settings.slice(0, 60)}`
                : settings === before.settings
                  ? "its settings are the old ones"
                  : `its settings are neither the old nor the new ones: ${settings.slice(0, 60)}`
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
    const when =
        startedAfterMs !== undefined
            ? `read once it ran, ${s(startedAfterMs)} after the restart was seen`
            : `read ${s(PROGRAM_START_WAIT_MS)} after the restart was seen, by when its manager starts a stored program`
    return `after its restart the board ${program} ${runs}; ${settingsSay} (${when}: a restarted board's manager starts its stored program ${STORED_PROGRAM_START_MS / 1000} s after boot)`
}
