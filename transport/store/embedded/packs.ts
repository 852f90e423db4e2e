import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { setImmediate } from 'node:timers/promises'
import type { CID } from 'multiformats/cid'
import { BanzaiError } from '../../../core/domain/index.ts'
import { parseCid } from '../parse-cid.ts'
import { removeFile } from './atomic-file.ts'
import { verifyBlock } from './block-files.ts'
import { type PackedAt, PackIndex, type PackInfo } from './pack-index.ts'
import { PackWriter } from './pack-writer.ts'

/**
 * A flush seals the pack written to once it holds this much (8 MiB): garbage collection reclaims
 * only sealed packs (or those of dead processes), so a live worker holds at most this much back.
 */
const SEAL_AT_FLUSH_BYTES = 8 * 1024 * 1024
/** Pack files kept open for reading at once. */
const READERS_OPEN = 32
/** A sealed pack whose live bytes fall below this share of its file is compacted by reclaim(). */
const COMPACT_BELOW = 0.5
/** Compaction lets the event loop run after copying this many bytes. */
const COMPACT_YIELD_BYTES = 4 * 1024 * 1024

/** Whether a process is alive (a pid we may not signal is someone's: alive). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

/**
 * Small blobs packed into append-only files, `packs/<pid>-<random>.pack`, indexed in
 * `packs/index.db` (PackIndex). One blob costs a hash, one `pwrite` and, at the next flush, one
 * index row: no file of its own, so no inode to allocate (on ext4 without a journal, creating a
 * file costs hundreds of µs when many were deleted recently). Each process appends to packs of
 * its own; `flush()` fdatasyncs them, then indexes their blobs in one transaction, so an index row
 * always names durable bytes and another process sees a blob only once it is durable. Reads are
 * `pread`s, verified against the CID like every block. `reclaim()` removes packs no blob lives
 * in any more and compacts the sparse ones.
 */
export class Packs {
  private readonly writer: PackWriter
  /** Blobs appended and not yet indexed (durable at the next flush). */
  private readonly pending = new Map<string, PackedAt>()
  private readonly readers = new Map<string, number>()
  private isClosed = false

  private constructor(
    private readonly dir: string,
    private readonly index: PackIndex,
  ) {
    this.writer = new PackWriter(dir, index)
  }

  /** Opens (creating if needed) the packs of the store in `storeDir`. */
  static open(storeDir: string): Packs {
    const dir = join(storeDir, 'packs')
    mkdirSync(dir, { recursive: true })
    return new Packs(dir, new PackIndex(dir))
  }

  /** Where a blob is, among this process's unflushed appends and the index; null if not packed. */
  find(cid: string): PackedAt | null {
    return this.pending.get(cid) ?? this.index.find(cid)
  }

  /** Appends a blob not packed yet; it is durable, and visible to other processes, after flush(). */
  append(cid: string, bytes: Uint8Array): void {
    this.pending.set(cid, this.writer.write(bytes))
  }

  /** The blob's bytes, verified against its CID, or null when it is not packed. */
  read(cid: CID): Uint8Array | null {
    const key = cid.toString()
    const at = this.find(key)
    if (at === null) return null
    let bytes: Uint8Array
    try {
      bytes = this.readAt(at)
    } catch (error) {
      // Compacted meanwhile (another process moved it, then removed the old pack): look again.
      const moved = this.find(key)
      if (moved === null) return null
      if (moved.pack === at.pack && moved.offset === at.offset) throw error
      bytes = this.readAt(moved)
    }
    return verifyBlock(cid, bytes)
  }

  /** Every packed blob that is durable, plus this process's unflushed ones. */
  cids(): string[] {
    const all = new Set(this.index.cids())
    for (const cid of this.pending.keys()) all.add(cid)
    return [...all]
  }

  /** Forgets blobs (their bytes stay until reclaim() removes or compacts their packs). */
  remove(cids: readonly string[]): void {
    for (const cid of cids) this.pending.delete(cid)
    this.index.removeAll(cids)
  }

  /**
   * Makes every blob appended so far durable: fdatasync of the packs written, fsync of their
   * folder if a pack was created, then one index transaction. Appends made meanwhile wait for
   * the next flush.
   */
  async flush(): Promise<void> {
    const rows = [...this.pending]
    await this.writer.sync({ sealAtBytes: SEAL_AT_FLUSH_BYTES })
    if (rows.length === 0) return
    this.index.insertAll(rows)
    for (const [cid, at] of rows) if (this.pending.get(cid) === at) this.pending.delete(cid)
  }

  /**
   * Removes packs no blob lives in, unless a live process may still append to them, and
   * compacts sealed packs whose live bytes are under half their file: their blobs are copied
   * to a pack of this process, re-indexed, and the old file removed.
   */
  async reclaim(): Promise<void> {
    for (const pack of this.index.packs()) {
      if (!this.isComplete(pack)) continue
      if (pack.liveBlobs === 0) {
        await this.removePack(pack.name)
        continue
      }
      const fileBytes = statSync(join(this.dir, pack.name), { throwIfNoEntry: false })?.size ?? 0
      if (pack.liveBytes < fileBytes * COMPACT_BELOW) await this.compact(pack.name)
    }
  }

  /** Flushes, seals this process's packs and closes every file and the index (once). */
  async close(): Promise<void> {
    if (this.isClosed) return
    await this.flush()
    this.isClosed = true
    await this.writer.sync({ sealAtBytes: 0 })
    for (const fd of this.readers.values()) closeSync(fd)
    this.readers.clear()
    this.index.close()
  }

  /**
   * Whether nothing will be appended to a pack any more: sealed, or its writer is gone (a pack
   * of this pid that this process did not create was left by an earlier process with the same pid).
   */
  private isComplete(pack: PackInfo): boolean {
    if (pack.isSealed) return true
    if (this.writer.owns(pack.name)) return false
    return pack.pid === process.pid || !isAlive(pack.pid)
  }

  private async removePack(name: string): Promise<void> {
    this.closeReader(name)
    await removeFile(join(this.dir, name))
    this.index.dropPack(name)
  }

  private async compact(name: string): Promise<void> {
    const moved: [string, PackedAt][] = []
    let sinceYield = 0
    for (const row of this.index.blobsIn(name)) {
      const bytes = this.readVerified(row.cid, row)
      // A damaged blob stays where it is (its reads say so); the pack stays with it.
      if (bytes === null) continue
      moved.push([row.cid, this.writer.write(bytes)])
      sinceYield += bytes.byteLength
      if (sinceYield >= COMPACT_YIELD_BYTES) {
        sinceYield = 0
        await setImmediate()
      }
    }
    await this.writer.sync({ sealAtBytes: SEAL_AT_FLUSH_BYTES })
    this.index.moveAll(name, moved)
    if (this.index.blobsIn(name).length === 0) await this.removePack(name)
  }

  private readVerified(cid: string, at: PackedAt): Uint8Array | null {
    try {
      return verifyBlock(parseCid(cid), this.readAt(at))
    } catch (error) {
      if (error instanceof BanzaiError && error.code === 'corrupt') return null
      throw error
    }
  }

  private readAt(at: PackedAt): Uint8Array {
    const fd = this.writer.fdOf(at.pack) ?? this.readerFd(at.pack)
    const bytes = Buffer.allocUnsafe(at.size)
    let done = 0
    while (done < at.size) {
      const n = readSync(fd, bytes, done, at.size - done, at.offset + done)
      if (n === 0)
        throw new BanzaiError(
          'corrupt',
          `pack ${at.pack} ends before the blob at ${at.offset} (${at.size} bytes)`,
        )
      done += n
    }
    return bytes
  }

  private readerFd(pack: string): number {
    const open = this.readers.get(pack)
    if (open !== undefined) return open
    let fd: number
    try {
      fd = openSync(join(this.dir, pack), 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      throw new BanzaiError('corrupt', `pack ${pack} is missing (${(error as Error).message})`)
    }
    if (this.readers.size >= READERS_OPEN) this.closeReader(this.readers.keys().next().value!)
    this.readers.set(pack, fd)
    return fd
  }

  private closeReader(pack: string): void {
    const fd = this.readers.get(pack)
    if (fd === undefined) return
    closeSync(fd)
    this.readers.delete(pack)
  }
}
