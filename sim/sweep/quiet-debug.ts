// jacdac-ts reports its transports' chatter with console.debug, which would land on the sweep's
// stdout (HFW_DEBUG=1 sends it to stderr)
console.debug = process.env.HFW_DEBUG ? (...args: unknown[]) => console.error(...args) : () => {}
