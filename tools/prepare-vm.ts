// Makes the simulator's counted VM module (sim/vm/counting.ts) if its cache has none: about 9 s of a
// core on the CI machine, once. `hfw build` and the tests' global setup run it in a process of its
// own beside their compiles (tools/vm-preparation.ts).
import { countedVmModule } from "../sim/vm/counting.ts"
import { readVmSource } from "../sim/vm/vm-source.ts"

await countedVmModule(readVmSource())
