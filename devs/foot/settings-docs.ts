// What each foot setting means: the docs' settings table and the host's messages about a bad
// settings file. Host-only, as the joint's (devs/joint/settings-docs.ts): the foot program's 16 KB
// are for the board. Every key of FOOT_SETTINGS has exactly one entry here (test/settings.test.ts).

export const FOOT_SETTING_DOCS: Record<string, string> = {
    cellGains: "newtons per ADC count of each cell",
    cellXMm: "cell position from the sole centre toward the toe",
    cellYMm: "cell position from the sole centre toward the outer side",
}
