// The simulation's one seeded random source. Each consumer forks its own stream by name, so adding
// a noise source somewhere does not shift the numbers every other consumer sees.

function hashString(s: string): number {
    // FNV-1a, 32 bit
    let h = 0x811c9dc5
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i)
        h = Math.imul(h, 0x01000193)
    }
    return h >>> 0
}

export class Random {
    private a: number
    private b: number
    private c: number
    private d: number
    /** the second value of the last Box-Muller pair, while `hasSpare` (a number always: the field stays a double) */
    private spareNormal = 0
    private hasSpare = false

    constructor(readonly seed: number, readonly stream = "") {
        // sfc32 state from splitmix32 of (seed, stream)
        let x = (seed ^ hashString(stream)) >>> 0
        const next = () => {
            x = (x + 0x9e3779b9) >>> 0
            let z = x
            z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
            z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
            return (z ^ (z >>> 16)) >>> 0
        }
        this.a = next()
        this.b = next()
        this.c = next()
        this.d = next()
        for (let i = 0; i < 12; i++) this.uint32()
    }

    /** An independent stream named `name`, derived from this one's seed. */
    fork(name: string): Random {
        return new Random(this.seed, this.stream ? `${this.stream}/${name}` : name)
    }

    uint32(): number {
        // sfc32
        const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
        this.d = (this.d + 1) >>> 0
        this.a = this.b ^ (this.b >>> 9)
        this.b = (this.c + (this.c << 3)) >>> 0
        this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0
        this.c = (this.c + t) >>> 0
        return t
    }

    /** uniform in [0, 1) */
    uniform(): number {
        return this.uint32() / 4294967296
    }

    /** normal with mean 0 and standard deviation `sigma` (Box-Muller) */
    normal(sigma = 1): number {
        if (this.hasSpare) {
            this.hasSpare = false
            return this.spareNormal * sigma
        }
        const u = 1 - this.uniform()
        const v = this.uniform()
        const r = Math.sqrt(-2 * Math.log(u))
        this.spareNormal = r * Math.sin(2 * Math.PI * v)
        this.hasSpare = true
        return r * Math.cos(2 * Math.PI * v) * sigma
    }

    bytes(n: number): Uint8Array {
        const out = new Uint8Array(n)
        for (let i = 0; i < n; i++) out[i] = this.uint32() & 0xff
        return out
    }
}
