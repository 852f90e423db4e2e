import type { ByteSource } from '../../core/domain/index.ts'
import { ValidationError } from '../../core/domain/index.ts'

/** Counts the bytes that flow through `countBytes`. */
export interface ByteCounter {
  bytes: number
}

/**
 * Turns a put's input (bytes, or a sync or async iterable of chunks) into an async stream of
 * chunks, counting them into `counter`; a chunk that is not a Uint8Array is rejected.
 */
export async function* countBytes(source: ByteSource, counter: ByteCounter): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    counter.bytes += source.byteLength
    yield source
    return
  }
  for await (const chunk of source) {
    if (!(chunk instanceof Uint8Array)) {
      throw new ValidationError(`put() takes Uint8Array chunks, got ${typeof chunk}`)
    }
    counter.bytes += chunk.byteLength
    yield chunk
  }
}
