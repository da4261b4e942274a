// What each joint setting means: the docs' settings table and the host's messages about a bad
// settings file. Host-only: the firmware links settings-schema.ts and has no use for the prose. Every
// setting and every rule has exactly one entry here (test/settings.test.ts).

export const JOINT_SETTING_DOCS: Record<string, string> = {
    ktNmPerA: "motor torque constant (motor side); Ke = Kt",
    rOhm: "phase resistance",
    lUh: "torque-axis inductance",
    gearRatio: "gear reduction",
    gearEff: "gear efficiency",
    peakA: "current limit (peak)",
    contA: "continuous current",
    tripA: "over-current trip (measured current)",
    torqueNm: "output torque limit",
    posMinRad: "lower soft position limit (the measured angle wraps at ±π from encZeroRad)",
    posMaxRad: "upper soft position limit (the measured angle wraps at ±π from encZeroRad)",
    maxVelRadS: "output speed limit: torque that would turn the joint faster is cut; a faster encoder step is a jump",
    rthKPerW: "winding thermal resistance",
    tauThS: "winding thermal time constant",
    derateC: "winding temperature where current derating starts",
    tripC: "winding temperature trip",
    ambientC: "ambient temperature of the thermal estimate",
    currentLoop: "where the current loop runs: 1 in the TMC4671 at its PWM rate (the stock runtime), 0 in the firmware at loopHz (needs a runtime with a 1 ms tick)",
    chipBwHz: "bandwidth of the chip's current loop (currentLoop 1): its PI gains are computed from rOhm, lUh and this",
    loopHz: "control loop rate (the impedance law; with currentLoop 0 also the current loop); 1000 / loopHz must be a whole number of milliseconds",
    currentBw: "firmware current loop (currentLoop 0) speed: fraction of the error removed per period",
    watchdogMs: "command watchdog timeout, counted in control periods: the joint trips at the first sample this long after the one before the last command",
    dampKdNmsRad: "damping gain of the safe state",
    dampMs: "time in damping before the bridge goes off",
    telemetryMs: "telemetry report period",
    encZeroRad: "output encoder angle (AS5047P, counting up) at joint position 0; set on the bench",
    encDir: "1: the joint angle grows as the encoder counts up; -1: it falls (a mirrored mounting)",
    legSlot: "the joint's slot (0-5) in its leg's setpoint frame from the body controller (services/legsetpoints.md); -1: it follows no leg frame (a joint on the bench) and takes commands only",
}

/** what each rule of JOINT_SETTING_RULES (config.ts) accepts, by the setting it blames */
export const JOINT_SETTING_RULE_DOCS: Record<string, string> = {
    posMaxRad: "greater than posMinRad",
    tripC: "greater than derateC",
    contA: "at most peakA",
    tripA: "greater than peakA",
    loopHz: "a divisor of 1000 (a whole number of ms per period)",
    encDir: "1 or -1",
    currentLoop: "0 or 1",
    legSlot: "a whole number: -1 (no leg frame) or a slot 0 to 5",
}
