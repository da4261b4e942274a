// Scenario and plant parameters: every one has a dotted name, a default, a unit and an accepted
// range, and `--param name=value` can override it. Unknown names and bad values are errors that say
// what is accepted.
import { UsageError } from "./errors.ts"

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
    vmJitterMs: num(0, "ms", 0, 50, "each VM timer wake-up is late by a uniform 0..vmJitterMs (seeded)"),
} satisfies ParamSpecs

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
            const v = Number(raw)
            if (raw === "" || !Number.isFinite(v) || v < s.min || v > s.max || (s.integer && !Number.isInteger(v)))
                throw new UsageError(
                    `parameter ${key}='${raw}' is not accepted; a${s.integer ? "n integer" : " number"} in ${s.unit} from ${s.min} to ${s.max}`
                )
            values[key] = v
        }
    }
    return values
}
