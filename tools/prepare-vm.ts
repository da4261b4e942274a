// Makes the simulator's counted VM module (sim/vm/counting.ts) if its cache has none: about 8 s of a
// core on the CI machine, once. The test suite's global setup runs it beside its compiles, so that
// the test files that start first find the module made rather than each making it at once.
import { countedVmModule } from "../sim/vm/counting.ts"
import { readVmSource } from "../sim/vm/vm-source.ts"

await countedVmModule(readVmSource())
