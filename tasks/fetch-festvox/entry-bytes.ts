import { promisify } from 'node:util'
import { crc32, inflateRaw } from 'node:zlib'
import type { Entry, ZipFile } from 'yauzl'
import { EntryReadError, readEntryBytes } from './zip-reader.ts'
import type { ZipWindowReader } from './zip-window.ts'

const inflate = promisify(inflateRaw)

/**
 * Entries up to this compressed size are read whole (from the reader's window, or one
 * positioned read) and inflated in one call on the thread pool (no stream, no per-chunk callbacks); larger ones stream. 32 MiB.
 */
const WHOLE_ENTRY_BYTES = 32 * 1024 * 1024

/**
 * Reads one entry whole into memory, at most `maxBytes`, and checks it: exactly the declared
 * size (a larger output is a bomb, a smaller one corrupt) and the declared CRC-32. `file` is
 * the zip's windowed reader. Throws EntryReadError with the reason.
 */
export async function readEntry(
  zip: ZipFile,
  reader: ZipWindowReader,
  entry: Entry,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array> {
  signal.throwIfAborted()
  if (entry.compressedSize > WHOLE_ENTRY_BYTES) return readEntryBytes(zip, entry, maxBytes, signal)
  let start: number
  try {
    start = (await zip.readLocalFileHeaderPromise(entry, { minimal: true })).fileDataStart
  } catch (error) {
    throw new EntryReadError(`unreadable entry (${error instanceof Error ? error.message : String(error)})`)
  }
  const stored = await reader.readAt(start, entry.compressedSize)
  if (stored.length < entry.compressedSize)
    throw new EntryReadError(
      `corrupt entry data (the archive ends inside the entry, at ${start + stored.length})`,
    )
  const declared = entry.uncompressedSize
  // A stored entry is copied out of the reader's window, which must not stay alive through it.
  const data =
    entry.compressionMethod === 0 ? Buffer.from(stored) : await inflateChecked(stored, declared, maxBytes)
  signal.throwIfAborted()
  if (data.length > declared)
    throw new EntryReadError(`zip bomb: inflates past its declared size of ${declared} bytes`)
  if (data.length < declared)
    throw new EntryReadError(`corrupt entry data (${data.length} bytes, ${declared} declared)`)
  if (crc32(data) !== entry.crc32) throw new EntryReadError('corrupt entry data (CRC-32 mismatch)')
  return data
}

/** Inflates at most one byte past the declared size (or the limit), so a bomb never fills memory. */
async function inflateChecked(stored: Buffer, declared: number, maxBytes: number): Promise<Buffer> {
  const cap = Math.min(declared, maxBytes) + 1
  try {
    return await inflate(stored, { maxOutputLength: cap })
  } catch (error) {
    if (error instanceof RangeError && 'code' in error && error.code === 'ERR_BUFFER_TOO_LARGE') {
      throw new EntryReadError(
        declared < maxBytes
          ? `zip bomb: inflates past its declared size of ${declared} bytes`
          : `zip bomb: inflates past the per-entry limit of ${maxBytes} bytes`,
      )
    }
    throw new EntryReadError(`corrupt entry data (${error instanceof Error ? error.message : String(error)})`)
  }
}
