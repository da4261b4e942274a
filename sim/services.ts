// The custom Jacdac services, read from the same markdown specs the DeviceScript compiler reads
// (services/*.md), so the firmware's servers and the simulator's clients share one definition.
import fs from "node:fs"
import path from "node:path"
import { loadServiceSpecifications, parseServiceSpecificationMarkdownToJSON, serviceMap } from "jacdac-ts"
import { REPO_ROOT } from "./firmware.ts"

export const SERVICES_DIR = path.join(REPO_ROOT, "services")

type ServiceSpec = ReturnType<typeof parseServiceSpecificationMarkdownToJSON>

let loaded: ServiceSpec[] | undefined

/** Parses services/*.md and registers them with jacdac-ts (once per process). */
export function loadCustomServices(): ServiceSpec[] {
    if (loaded) return loaded
    const includes = serviceMap()
    const specs = fs
        .readdirSync(SERVICES_DIR)
        .filter(f => f.endsWith(".md") && f.toLowerCase() !== "readme.md")
        .sort()
        .map(f => {
            const spec = parseServiceSpecificationMarkdownToJSON(fs.readFileSync(path.join(SERVICES_DIR, f), "utf8"), includes, f)
            if (spec.errors?.length)
                throw new Error(`services/${f}: ${spec.errors.map(e => `line ${e.line}: ${e.message}`).join("; ")}`)
            return spec
        })
    loadServiceSpecifications(specs)
    loaded = specs
    return specs
}

export function customService(shortId: string): ServiceSpec {
    const s = loadCustomServices().find(x => x.shortId === shortId)
    if (!s) throw new Error(`no custom service '${shortId}' in services/`)
    return s
}

/** name of a member of an enum of a custom service, e.g. enumName("boardfault", "Code", 2) */
export function enumName(shortId: string, enumId: string, value: number): string {
    const members = customService(shortId).enums[enumId]?.members ?? {}
    return Object.entries(members).find(([, v]) => v === value)?.[0] ?? `unknown(${value})`
}

/**
 * A packet (register, command, event) of a custom service by name: its identifier and pack format;
 * `kind` picks one of two packets of the same name (a command and its report).
 */
export function servicePacket(shortId: string, name: string, kind?: string): { identifier: number; packFormat: string } {
    const p = customService(shortId).packets.find(x => x.name === name && (!kind || x.kind === kind))
    if (!p) throw new Error(`service '${shortId}' has no ${kind ? kind + " " : ""}packet '${name}'`)
    return { identifier: p.identifier, packFormat: p.packFormat ?? "" }
}

/** value of a member of an enum of a custom service, e.g. enumValue("footcontact", "Flags", "CopValid") */
export function enumValue(shortId: string, enumId: string, member: string): number {
    const v = customService(shortId).enums[enumId]?.members?.[member]
    if (v === undefined) throw new Error(`service '${shortId}' has no ${enumId}.${member}`)
    return v
}
