// MCAP chunks compressed with zstd, in one place: the writer's `compressChunk` (sim/trace-files.ts)
// and the readers' `decompressHandlers` (tests, tools). Foxglove's WebAssembly build of zstd, the
// compression Foxglove and the `mcap` CLI read; its module compiles asynchronously, so both are had
// through a promise that waits for it.
import { compress, decompress, isLoaded } from "@foxglove/wasm-zstd"
import type { McapTypes } from "@mcap/core"

/** a chunk's data, compressed at zstd `level`, as McapWriter's `compressChunk` returns it */
export type ChunkCompressor = (chunkData: Uint8Array) => { compression: string; compressedData: Uint8Array }

/** McapWriter's `compressChunk` at zstd `level` (1 fastest .. 19 smallest) */
export async function zstdChunkCompressor(level: number): Promise<ChunkCompressor> {
    await isLoaded
    return chunkData => ({ compression: "zstd", compressedData: compress(chunkData, level) })
}

/** McapIndexedReader's and McapStreamReader's `decompressHandlers`: zstd chunks */
export async function mcapDecompressHandlers(): Promise<McapTypes.DecompressHandlers> {
    await isLoaded
    return { zstd: (data, decompressedSize) => decompress(data, Number(decompressedSize)) }
}
