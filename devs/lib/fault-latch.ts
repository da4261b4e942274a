// Latches the first fault; later ones do not replace it until it is cleared.
import * as ds from "@devicescript/core"

export class FaultLatch {
    code: ds.BoardFaultCode = ds.BoardFaultCode.None
    detail = 0
    /** fault raised since the last takeFresh() (for the fault event) */
    fresh = false

    isActive(): boolean {
        return this.code !== ds.BoardFaultCode.None
    }

    raise(code: ds.BoardFaultCode, detail: number) {
        if (this.isActive()) return
        this.code = code
        this.detail = detail
        this.fresh = true
    }

    clear() {
        this.code = ds.BoardFaultCode.None
        this.detail = 0
        this.fresh = false
    }

    /** true once per latched fault */
    takeFresh(): boolean {
        const f = this.fresh
        this.fresh = false
        return f
    }
}
