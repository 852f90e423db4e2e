import { type FileHandle, open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import yauzl, { type Entry, type ZipFile } from 'yauzl'
import { isSymlinkEntry } from './entry-rules.ts'
import { ZipWindowReader } from './zip-window.ts'

/** An entry that cannot be read; the message is the reason listed in `sources[].skipped`. */
export class EntryReadError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'EntryReadError'
  }
}

/** An archive that cannot be read at all (truncated, not a zip, broken central directory). */
export class BrokenArchiveError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'BrokenArchiveError'
  }
}

/** A zip opened for reading: yauzl's view of it, and the windowed reader beneath (for entry data). */
export interface OpenedZip {
  zip: ZipFile
  reader: ZipWindowReader
  close(): Promise<void>
}

/** Opens a zip for reading entry by entry; names are left undecoded so hostile ones can be skipped rather than fail the whole archive. */
export async function openZip(path: string): Promise<OpenedZip> {
  let file: FileHandle | undefined
  try {
    file = await open(path, 'r')
    const reader = new ZipWindowReader(file)
    const zip = await yauzl.fromRandomAccessReaderPromise(reader, (await file.stat()).size, {
      lazyEntries: true,
      validateEntrySizes: true,
      decodeStrings: false,
      autoClose: false,
    })
    const handle = file
    return {
      zip,
      reader,
      close: async () => {
        zip.close()
        await handle.close()
      },
    }
  } catch (error) {
    await file?.close()
    throw new BrokenArchiveError(describeOpenError(error))
  }
}

function describeOpenError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  if (/end of central directory record signature not found/i.test(message)) {
    return 'not a zip archive, or a truncated one (no end-of-central-directory record)'
  }
  return `unreadable zip archive (${message})`
}

/** Iterates the entries; a broken central directory becomes a BrokenArchiveError. */
export async function* iterateEntries(zip: ZipFile): AsyncGenerator<Entry> {
  const entries = zip.eachEntry()
  for (;;) {
    let next: IteratorResult<Entry>
    try {
      next = await entries.next()
    } catch (error) {
      throw new BrokenArchiveError(
        `broken zip central directory (${error instanceof Error ? error.message : String(error)})`,
      )
    }
    if (next.done === true) return
    yield next.value
  }
}

/** The entry's name as stored, backslashes kept (decoded as UTF-8 or CP437 per its flags). */
export function entryName(entry: Entry): string {
  // With decodeStrings: false, yauzl leaves the raw bytes in fileName: fileNameRaw is the documented field.
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true)
}

/** Whether the entry is a Unix symbolic link. */
export function isSymlink(entry: Entry): boolean {
  return isSymlinkEntry(entry.versionMadeBy, entry.externalFileAttributes)
}

/** Why an entry's declared shape makes it unreadable or dangerous, or null. */
export function checkEntryHeader(
  entry: Entry,
  limits: { maxEntryBytes: number; maxRatio: number; ratioFloorBytes: number },
): string | null {
  if (entry.isEncrypted()) return 'encrypted entry'
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    return `unsupported compression method ${entry.compressionMethod}`
  }
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    return `zip bomb: uncompressed size ${entry.uncompressedSize} bytes exceeds the per-entry limit of ${limits.maxEntryBytes}`
  }
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize)
  if (entry.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio) {
    return `zip bomb: compression ratio ${Math.round(ratio)} exceeds the limit of ${limits.maxRatio}`
  }
  return null
}

/**
 * Reads one entry whole into memory, at most `maxBytes` (counted as it inflates, whatever the
 * header claims); aborts promptly on `signal`. Throws EntryReadError with the reason.
 */
export async function readEntryBytes(
  zip: ZipFile,
  entry: Entry,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array> {
  signal.throwIfAborted()
  let stream: Readable
  try {
    stream = await zip.openReadStreamPromise(entry)
  } catch (error) {
    throw new EntryReadError(`unreadable entry (${error instanceof Error ? error.message : String(error)})`)
  }
  const onAbort = (): void => {
    stream.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
  }
  signal.addEventListener('abort', onAbort, { once: true })
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > maxBytes) {
        throw new EntryReadError(`zip bomb: inflates past the per-entry limit of ${maxBytes} bytes`)
      }
      chunks.push(chunk)
    }
  } catch (error) {
    stream.destroy()
    signal.throwIfAborted()
    if (error instanceof EntryReadError) throw error
    const message = error instanceof Error ? error.message : String(error)
    if (message.startsWith('too many bytes'))
      throw new EntryReadError(`zip bomb: inflates past its declared size (${message})`)
    throw new EntryReadError(`corrupt entry data (${message})`)
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
  return Buffer.concat(chunks, size)
}
