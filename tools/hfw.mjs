#!/usr/bin/env node
// Entry point of the `hfw` command: host code is TypeScript, run through tsx.
import { register } from "tsx/esm/api"
register()
await import("./cli.ts")
