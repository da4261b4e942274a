#!/usr/bin/env node
// Entry point of the `hfw` command. Host code is TypeScript; the command runs it from one bundle
// (build/hfw.mjs, made again whenever a source has changed: tools/host-bundle.mjs), or through tsx
// with HFW_TSX=1 or when the bundle cannot be made.
import { freshBundle } from "./host-bundle.mjs"

const bundle = process.env.HFW_TSX ? null : await freshBundle()
if (bundle) {
    // a stack trace names the sources' lines, not the bundle's
    process.setSourceMapsEnabled(true)
    await import(bundle)
} else {
    const { register } = await import("tsx/esm/api")
    register()
    await import("./cli.ts")
}
