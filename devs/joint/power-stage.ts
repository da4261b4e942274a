// The joint board's power stage and sensors as the control loop sees them: take one sample, apply
// one bridge command. On the board these are SPI transfers with the motor controller chip and the
// encoder (drivers/); in the simulator the sample request and the bridge command go out through the
// hardware twin, and the sample comes back as a JointPowerStage reading (services/jointpowerstage.md).
import * as ds from "@devicescript/core"
import type { BridgeCommand, Sample } from "./controller"

export interface PowerStage {
    /** `handler` runs with each sample, as a conversion-complete interrupt would */
    onSample(handler: (s: Sample) => Promise<void>): void
    /** starts one conversion */
    requestSample(): Promise<void>
    drive(cmd: BridgeCommand): Promise<void>
}

export class SimulatedPowerStage implements PowerStage {
    private readonly hw = new ds.JointPowerStage()
    private readonly request = Buffer.alloc(1)
    private readonly command = Buffer.alloc(8)
    private readonly sample: Sample = { timestampUs: 0, currentA: 0, angleRad: 0, windingNtcC: 0, busV: 0 }

    onSample(handler: (s: Sample) => Promise<void>) {
        const s = this.sample
        this.hw.reading.subscribe(async r => {
            s.timestampUs = r[0]
            s.currentA = r[1]
            s.angleRad = r[2]
            s.windingNtcC = r[3]
            s.busV = r[4]
            await handler(s)
        })
    }

    async requestSample() {
        await ds._twinMessage("jps/sample", this.request)
    }

    async drive(cmd: BridgeCommand): Promise<void> {
        this.command.setAt(0, "f32", cmd.voltageV)
        this.command.setAt(4, "u8", cmd.bridgeOn ? 1 : 0)
        await ds._twinMessage("jps/drive", this.command)
    }
}
