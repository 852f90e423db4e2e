import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'

/** What a streamed write produced. */
export interface WrittenFile {
  size: number
  /** Hex SHA-256 of the bytes, computed as they streamed. */
  sha256: string
}

/** Thrown when a stream grows past its size limit. */
export class TooLargeError extends Error {
  constructor(limit: number) {
    super(`larger than the limit of ${limit} bytes`)
    this.name = 'TooLargeError'
  }
}

/**
 * Writes chunks to a new file as they arrive, hashing them; never holds more than one chunk.
 * Calls `onBytes(total so far)` after each chunk; throws TooLargeError past `maxBytes`.
 */
export async function writeChunksToFile(
  chunks: AsyncIterable<Uint8Array>,
  path: string,
  options: { maxBytes: number; signal: AbortSignal; onBytes(done: number): void },
): Promise<WrittenFile> {
  const hash = createHash('sha256')
  const handle = await open(path, 'wx')
  let size = 0
  try {
    for await (const chunk of chunks) {
      options.signal.throwIfAborted()
      size += chunk.length
      if (size > options.maxBytes) throw new TooLargeError(options.maxBytes)
      hash.update(chunk)
      // A write may be partial: loop until the whole chunk is down.
      for (let offset = 0; offset < chunk.length;) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset)
        offset += bytesWritten
      }
      options.onBytes(size)
    }
  } finally {
    await handle.close()
  }
  return { size, sha256: hash.digest('hex') }
}
