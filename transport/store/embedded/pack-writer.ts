import { randomBytes } from 'node:crypto'
import { closeSync, fdatasync, fsync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { PackedAt, PackIndex } from './pack-index.ts'

const syncData = promisify(fdatasync)
const syncAll = promisify(fsync)

/** A pack file grows to about this size (bytes), then a new one starts: 256 MiB. */
const PACK_BYTES = 256 * 1024 * 1024

/** A pack file this process appends to. */
interface Writer {
  name: string
  fd: number
  offset: number
}

/**
 * The pack files one process appends to (Packs): one current pack at a time, a new one when it
 * is full. A pack is registered in the index before its file exists, and sealed there once
 * retired and synced: then nothing will be appended to it any more.
 */
export class PackWriter {
  private current: Writer | null = null
  /** Writers with bytes not yet fdatasynced. */
  private readonly unsynced = new Set<Writer>()
  /** Writers appended to no more, sealed after their next sync. */
  private readonly retired = new Set<Writer>()
  /** Pack files created and not yet made durable in their directory. */
  private hasNewFiles = false
  /** Packs this process created. */
  private readonly created = new Set<string>()

  constructor(
    private readonly dir: string,
    private readonly index: PackIndex,
  ) {}

  /** Whether this process created a pack. */
  owns(pack: string): boolean {
    return this.created.has(pack)
  }

  /** Writes bytes at the end of the current pack (a new one when it is full); returns where. */
  write(bytes: Uint8Array): PackedAt {
    const writer = this.writable(bytes.byteLength)
    const at = { pack: writer.name, offset: writer.offset, size: bytes.byteLength }
    let done = 0
    while (done < bytes.byteLength)
      done += writeSync(writer.fd, bytes, done, bytes.byteLength - done, writer.offset + done)
    writer.offset += bytes.byteLength
    this.unsynced.add(writer)
    return at
  }

  /**
   * Makes every byte written so far durable: fdatasync of the packs written, fsync of their
   * folder when a pack was created. The current pack is retired first if it holds at least
   * `sealAtBytes`; retired packs are sealed once synced (so 0 seals every pack, as at close).
   */
  async sync({ sealAtBytes }: { sealAtBytes: number }): Promise<void> {
    if (this.current !== null && this.current.offset >= sealAtBytes) this.retire(this.current)
    const writers = [...this.unsynced]
    const hasNewFiles = this.hasNewFiles
    this.unsynced.clear()
    this.hasNewFiles = false
    try {
      await Promise.all(writers.map((w) => syncData(w.fd)))
      if (hasNewFiles) await this.syncFolder()
    } catch (error) {
      for (const writer of writers) this.unsynced.add(writer)
      this.hasNewFiles ||= hasNewFiles
      throw error
    }
    this.sealRetired()
  }

  /** The open descriptor of a pack this process still writes, or null. */
  fdOf(pack: string): number | null {
    if (this.current?.name === pack) return this.current.fd
    for (const writer of this.retired) if (writer.name === pack) return writer.fd
    return null
  }

  private writable(size: number): Writer {
    const current = this.current
    if (current !== null && (current.offset === 0 || current.offset + size <= PACK_BYTES)) return current
    if (current !== null) this.retire(current)
    const name = `${process.pid}-${randomBytes(6).toString('hex')}.pack`
    // Registered first: a pack file on disk with no row could never be reclaimed.
    this.index.addPack(name, process.pid)
    this.created.add(name)
    const writer = { name, fd: openSync(join(this.dir, name), 'wx+'), offset: 0 }
    this.hasNewFiles = true
    this.current = writer
    return writer
  }

  private retire(writer: Writer): void {
    this.retired.add(writer)
    if (this.current === writer) this.current = null
  }

  private async syncFolder(): Promise<void> {
    const fd = openSync(this.dir, 'r')
    try {
      await syncAll(fd)
    } finally {
      closeSync(fd)
    }
  }

  private sealRetired(): void {
    for (const writer of this.retired) {
      if (this.unsynced.has(writer)) continue
      this.index.seal(writer.name)
      closeSync(writer.fd)
      this.retired.delete(writer)
    }
  }
}
