// DeviceScript: the suite that follows each test file in the one program all the DeviceScript unit
// tests run as (tools/devs-unit.ts). Its title marks where the file's tests end in the program's
// output; its test yields to the runtime, which otherwise runs every test in one go and stops a fiber
// that runs that long without a break as an infinite loop (tried: the eleventh file's tests were).
import * as ds from "@devicescript/core"
import { describe, test } from "@devicescript/test"

export function fileEnd(title: string) {
    describe(title, () => {
        test("yields to the runtime", async () => {
            await ds.sleep(1)
        })
    })
}
