// The tests' way into an MCAP file: @mcap/core's indexed reader over its bytes, zstd chunks
// decompressed by the handler the writer's counterpart provides (sim/mcap-zstd.ts).
import { McapIndexedReader } from "@mcap/core"
import { mcapDecompressHandlers } from "../sim/mcap-zstd.ts"

export async function indexedMcapReader(bytes: Uint8Array): Promise<McapIndexedReader> {
    return McapIndexedReader.Initialize({
        readable: { size: async () => BigInt(bytes.length), read: async (offset, length) => bytes.slice(Number(offset), Number(offset + length)) },
        decompressHandlers: await mcapDecompressHandlers(),
    })
}
