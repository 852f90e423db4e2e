import type { FileHandle } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import yauzl from 'yauzl'

/** Bytes read from the zip at a time: 1 MiB, so a dozen entries or more come in one system call. */
const WINDOW_BYTES = 1 << 20
/** Windows kept: the central directory's, the entries' being read, and one spare. */
const WINDOWS_KEPT = 3

interface Window {
  start: number
  bytes: Promise<Buffer>
}

/**
 * yauzl's reader of a zip file that reads it in 1 MiB windows and serves small reads (central
 * directory records, local headers, entry data) from them: a zip of thousands of small entries
 * costs one read per window instead of three or four per entry. Reads larger than half a window
 * go to the file directly; `_readStreamForRange` streams (for entries too large to read whole).
 */
export class ZipWindowReader extends yauzl.RandomAccessReader {
  private windows: Window[] = []

  constructor(private readonly file: FileHandle) {
    super()
  }

  /** The bytes at [position, position + length): fewer only where the file ends. */
  async readAt(position: number, length: number): Promise<Buffer> {
    if (length > WINDOW_BYTES / 2) return this.load(position, length)
    let window = this.windows.find((w) => position >= w.start && position + length <= w.start + WINDOW_BYTES)
    if (window === undefined) {
      const fresh: Window = { start: position, bytes: this.load(position, WINDOW_BYTES) }
      // A window that failed to load is not kept: the next read tries the file again.
      fresh.bytes.catch(() => {
        this.windows = this.windows.filter((w) => w !== fresh)
      })
      window = fresh
    }
    // Most recently used first; the least recently used falls off.
    this.windows = [window, ...this.windows.filter((w) => w !== window)].slice(0, WINDOWS_KEPT)
    const bytes = await window.bytes
    const from = position - window.start
    return bytes.subarray(from, Math.min(bytes.length, from + length))
  }

  private async load(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(length)
    let filled = 0
    // A read may return less than asked before the end: loop until the end or the length.
    while (filled < length) {
      const { bytesRead } = await this.file.read(buffer, filled, length - filled, position + filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return filled === length ? buffer : buffer.subarray(0, filled)
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ): void {
    // yauzl passes the count on (its types omit it) and treats a short count as the end.
    const done: (err: Error | null, bytesRead?: number) => void = callback
    this.readAt(position, length).then(
      (bytes) => done(null, bytes.copy(buffer, offset)),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    )
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return this.file.createReadStream({ start, end: end - 1, autoClose: false })
  }

  override close(callback: (err: Error | null) => void): void {
    this.windows = []
    setImmediate(() => callback(null))
  }
}
