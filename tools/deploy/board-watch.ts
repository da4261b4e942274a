// The board a deploy talks to, watched while it does: a restart (a brown-out, a pulled plug, a reset
// button) shows in the board's announce, whose restart counter goes back (jacdac-ts' RESTART); a board
// that stopped answering sends no announce (every 500 ms otherwise). After a restart the board is
// read again, so the deploy says what it holds and runs then, not what it should.
import { PACKET_ANNOUNCE, RESTART, type JDDevice } from "jacdac-ts"
import { managerOf, readManagerState, readSetting, settingsOf } from "./board-link.ts"

/** three announce periods without an announce: the board is gone (its power, its bus) */
export const SILENT_MS = 1500

export type BoardAfterFailure = "restarted" | "silent" | "answering"

export class BoardWatch {
    restarted = false
    private lastAnnounceMs = Date.now()

    constructor(dev: JDDevice, onRestart: () => void) {
        dev.on(PACKET_ANNOUNCE, () => (this.lastAnnounceMs = Date.now()))
        dev.on(RESTART, () => {
            this.restarted = true
            onRestart()
        })
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

/** What a restarted board stores and runs now, read from it, in words, against what it held before and what the deploy writes. */
export async function describeRestartedBoard(dev: JDDevice, known: DeployedAndBefore): Promise<string> {
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
    return `after its restart the board ${program} ${runs}; ${settingsSay}`
}
