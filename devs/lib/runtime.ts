// The runtime's functions the boards call at every wake, looked up once. `ds.millis()` finds `millis`
// by name at each call: first among the fields the core library adds to the `ds` object, each
// compared with the name as a string (the runtime's objects.c `lookup`, its slow path), then in the
// runtime's own table; a module's constant is read by index.
import * as ds from "@devicescript/core"

export const millis = ds.millis
export const sleep = ds.sleep
export const suspend = ds.suspend
export const twinMessage = ds._twinMessage
