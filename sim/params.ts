// Scenario and plant parameters: every one has a dotted name, a default, a unit and an accepted
// range, and `--param name=value` can override it. Unknown names and bad values are errors that say
// what is accepted.
import { UsageError } from "./errors.ts"
import { STOCK_TICK_US, TARGETS, type TargetName, type TargetOptions } from "./vm/target-model.ts"

export type ParamSpec =
    | { kind: "number"; default: number; unit: string; min: number; max: number; doc: string; integer?: boolean }
    | { kind: "choice"; default: string; choices: readonly string[]; doc: string }

export type ParamSpecs = Record<string, ParamSpec>
export type ParamValues = Record<string, number | string>

export function num(defaultValue: number, unit: string, min: number, max: number, doc: string, integer = false): ParamSpec {
    return { kind: "number", default: defaultValue, unit, min, max, doc, integer }
}

export function choice(defaultValue: string, choices: readonly string[], doc: string): ParamSpec {
    return { kind: "choice", default: defaultValue, choices, doc }
}

/** Parameters every scenario accepts. */
export const COMMON_PARAMS = {
    target: choice("esp32", TARGETS, "esp32: the boards keep the stock ESP32 runtime's time (its tick, wakes and CPU cost); ideal: zero-cost runs, exact wakes (control-law work only)"),
    "runtime.tickUs": num(STOCK_TICK_US, "us", 100, 100_000, "the runtime's main-loop tick (stock ESP32 runtime: 10000)", true),
    "runtime.freeFill": choice("on", ["on", "off"], "on: the allocator fills each free block it marks, every split included (stock runtime); off: a runtime built without that fill (not stock: README)"),
    "cpu.scale": num(1, "", 0.01, 100, "every counted CPU cost is multiplied by this (sensitivity)"),
    "cpu.clockMHz": num(NaN, "MHz", 10, 240, "the boards' CPU clock, each chip at most its maximum (default: each chip's stock clock, sim/vm/chips.ts)"),
    vmJitterMs: num(0, "ms", 0, 50, "target=ideal: each VM timer wake-up is late by a uniform 0..vmJitterMs (seeded)"),
    "vm.profile": choice("off", ["off", "on"], "on: charge each board's counted work to the bytecode functions that did it (the same run, slower: README)"),
    "vm.lookups": choice("off", ["off", "on"], "on: count each board's lookups by name that compare strings (fields and methods an object lacks; the same run, a little slower: README)"),
} satisfies ParamSpecs

/** The parameters of the target timing model alone (hfw sim serve, hfw bench --target sim). */
export const TARGET_PARAMS: ParamSpecs = Object.fromEntries(
    Object.entries(COMMON_PARAMS).filter(([k]) => k === "target" || k.startsWith("runtime.") || k.startsWith("cpu."))
)

/** The boards' timing model from the common parameters. */
export function targetOf(p: ParamValues): TargetOptions {
    const clockMHz = Number(p["cpu.clockMHz"])
    return {
        target: p.target as TargetName,
        tickUs: Number(p["runtime.tickUs"]),
        cpuScale: Number(p["cpu.scale"]),
        ...(Number.isNaN(clockMHz) ? {} : { clockMHz }),
        ...(p["runtime.freeFill"] === "off" ? { freeFill: false } : {}),
    }
}

/** a number parameter whose default is NaN takes its value from another choice (e.g. the actuator size) */
export function describeParam(name: string, s: ParamSpec): string {
    return s.kind === "number"
        ? `${name}=${Number.isNaN(s.default) ? "auto" : s.default} (${s.unit || "ratio"}, ${s.min}..${s.max}${s.integer ? ", integer" : ""})`
        : `${name}=${s.default} (one of ${s.choices.join("|")})`
}

/** Resolves `key=value` overrides (from --param) against `specs`. */
export function resolveParams(specs: ParamSpecs, overrides: readonly string[]): ParamValues {
    const values: Record<string, number | string> = {}
    for (const [k, s] of Object.entries(specs)) values[k] = s.default
    const accepted = () => Object.entries(specs).map(([k, s]) => "  " + describeParam(k, s)).join("\n")
    for (const o of overrides) {
        const eq = o.indexOf("=")
        if (eq <= 0) throw new UsageError(`--param '${o}' is not of the form key=value; accepted parameters:\n${accepted()}`)
        const key = o.slice(0, eq).trim()
        const raw = o.slice(eq + 1).trim()
        const s = specs[key]
        if (!s) throw new UsageError(`unknown parameter '${key}'; accepted parameters:\n${accepted()}`)
        if (s.kind === "choice") {
            if (!s.choices.includes(raw))
                throw new UsageError(`parameter ${key}='${raw}' is not accepted; one of ${s.choices.join(", ")}`)
            values[key] = raw
        } else {
            // a parameter whose default is "auto" (NaN) takes "auto" too, as its help shows it
            const auto = Number.isNaN(s.default)
            if (auto && raw === "auto") {
                values[key] = NaN
                continue
            }
            const v = Number(raw)
            if (raw === "" || !Number.isFinite(v) || v < s.min || v > s.max || (s.integer && !Number.isInteger(v)))
                throw new UsageError(
                    `parameter ${key}='${raw}' is not accepted; a${s.integer ? "n integer" : " number"} in ${s.unit} from ${s.min} to ${s.max}${auto ? ", or auto" : ""}`
                )
            values[key] = v
        }
    }
    return values
}
