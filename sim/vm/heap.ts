// Reads how much of a VM's garbage-collected heap is in use, from the collector's own structures in
// the VM's memory (runtime/devicescript/gc_alloc.c and devs_objects.h in microsoft/devicescript, for
// the 32-bit WebAssembly build):
//   devs_gc_t  { block_t *first_free; chunk_t *first_chunk; u32 num_alloc, gc_threshold, curr_alloc; ctx }
//   chunk_t    { chunk_t *next; block_t *end; block_t start[] }
//   block      header word: tag << 24 | size in words; tag & 0xf: 1 free, 0xf | 0x40 the chunk's end

const TAG_SHIFT = 24
const SIZE_MASK = 0xffffff
const TAG_BASIC_MASK = 0xf
const TAG_FREE = 0x1
const TAG_FINAL = 0x4f
const WORD = 4

export interface HeapUse {
    /** bytes in blocks that are not free */
    usedBytes: number
    /** bytes of every chunk the collector manages */
    totalBytes: number
}

/** The heap's use, walking every block of every chunk; `gcAddress` is the collector's devs_gc_t. */
export function heapUse(memory: Uint8Array, gcAddress: number): HeapUse {
    const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength)
    const u32 = (addr: number) => view.getUint32(addr, true)
    let usedBytes = 0
    let totalBytes = 0
    for (let chunk = u32(gcAddress + WORD); chunk !== 0; chunk = u32(chunk)) {
        const end = u32(chunk + WORD)
        const start = chunk + 2 * WORD
        totalBytes += end - start
        for (let block = start; block < end; ) {
            const header = u32(block)
            const tag = header >>> TAG_SHIFT
            if (tag === TAG_FINAL) break
            const bytes = (header & SIZE_MASK) * WORD
            if (bytes === 0) throw new Error(`VM heap: a block of size 0 at ${block} (the heap layout is not the one sim/vm/heap.ts reads)`)
            if ((tag & TAG_BASIC_MASK) !== TAG_FREE) usedBytes += bytes
            block += bytes
        }
    }
    return { usedBytes, totalBytes }
}
