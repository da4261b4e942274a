// What each foot setting means: the docs' settings table and the host's messages about a bad
// settings file. Host-only, as the joint's (devs/joint/settings-docs.ts): the foot program's bytes
// are for the board. Every setting and every rule has exactly one entry here (test/settings.test.ts).

export const FOOT_SETTING_DOCS: Record<string, string> = {
    cellGains: "newtons per ADC count of each cell",
    cellXMm: "cell position from the sole centre toward the toe",
    cellYMm: "cell position from the sole centre toward the outer side",
}

/** what each rule of FOOT_SETTING_RULES (settings-schema.ts) accepts, by the setting it blames */
export const FOOT_SETTING_RULE_DOCS: Record<string, string> = {
    cellXMm: "heel cells 0 and 1 behind toe cells 2 and 3",
    cellYMm: "outer cells 0 and 2 outward of inner cells 1 and 3",
}
