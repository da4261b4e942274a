// The DeviceScript WASM VM as the pinned @devicescript/cli bundle carries it (design/simulator.md): one
// esbuild CommonJS section of the bundle, with the WebAssembly module inlined in it as base64.
import fs from "node:fs"
import path from "node:path"
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)

export const VM_SECTION_START = "// runtime/devicescript-vm/built/devicescript-vm.js\n"
export const VM_SECTION_END = "// dap/built/devicescript-dap.cjs\n"
const WASM_PREFIX = 'wasmBinaryFile = "data:application/octet-stream;base64,'

export interface VmSource {
    cliPath: string
    cliVersion: string
    section: string
}

let cached: VmSource | undefined

/** Reads the VM section out of the CLI bundle at `cliPath` (default: the installed CLI). */
export function readVmSource(cliPath = require.resolve("@devicescript/cli/built/devicescript-cli.cjs")): VmSource {
    if (cached && cached.cliPath === cliPath) return cached
    const cliVersion = readCliVersion(cliPath)
    // (searched as bytes, and only the section decoded: the bundle is 28 MB, and a slice of its text
    // would keep all of it alive, 57 MB of the host's heap, for as long as the section is in use)
    const bundle = fs.readFileSync(cliPath)
    const start = bundle.indexOf(VM_SECTION_START)
    const end = start < 0 ? -1 : bundle.indexOf(VM_SECTION_END, start)
    if (start < 0 || end < 0)
        throw new Error(
            `@devicescript/cli ${cliVersion} at ${cliPath}: the VM section markers were not found ` +
                `('${VM_SECTION_START.trim()}' ... '${VM_SECTION_END.trim()}'). The simulator's loader is written for ` +
                `@devicescript/cli 2.16.4; install that exact version (npm ci) or update sim/vm/vm-source.ts.`
        )
    const src: VmSource = { cliPath, cliVersion, section: bundle.toString("utf8", start, end) }
    if (cliPath === require.resolve("@devicescript/cli/built/devicescript-cli.cjs")) cached = src
    return src
}

function readCliVersion(cliPath: string): string {
    try {
        const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(cliPath), "..", "package.json"), "utf8"))
        return String(pkg.version)
    } catch {
        return "(unknown version)"
    }
}

/** The WebAssembly binary inlined (base64) in the VM section of the CLI bundle. */
export function bundledWasm(source: VmSource): Uint8Array {
    const start = source.section.indexOf(WASM_PREFIX)
    const end = start < 0 ? -1 : source.section.indexOf('"', start + WASM_PREFIX.length)
    if (start < 0 || end < 0)
        throw new Error(
            `@devicescript/cli ${source.cliVersion}: the VM section has no inlined WebAssembly ('${WASM_PREFIX}...'); ` +
                `sim/vm/vm-source.ts is written for @devicescript/cli 2.16.4`
        )
    return Buffer.from(source.section.slice(start + WASM_PREFIX.length, end), "base64")
}
