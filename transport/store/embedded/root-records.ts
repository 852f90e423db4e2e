import { existsSync, linkSync, statSync } from 'node:fs'
import { access, readdir, readFile, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { BanzaiError, Cid } from '../../../core/domain/index.ts'
import { removeFile, syncDirectory, writeFileAtomic, writeFileDeferred } from './atomic-file.ts'
import { fileIdentity, type PendingSyncs } from './pending-syncs.ts'

/** What the store keeps of a blob that was put: its size and every block of its DAG. */
export const RootRecord = z.object({
  v: z.literal(1),
  cid: Cid,
  size: z.number().int().min(0),
  blocks: z.array(z.string()),
})
export type RootRecord = z.infer<typeof RootRecord>

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/**
 * Roots and pins on disk: `roots/<cid>.json` (a RootRecord, written atomically once all the
 * blob's blocks are stored: its presence commits the put) and `pins/<cid>` (an empty file).
 * A blob that is one raw block may instead be recorded as `roots/<cid>.raw`, a hard link to
 * its block file (one system call, nothing to write): its record is implied (size = the
 * file's, blocks = itself). With `pending`, records are put in place unsynced and noted there.
 */
export class RootRecords {
  constructor(
    private readonly dir: string,
    private readonly tmpDir: string,
    private readonly pending: PendingSyncs | null = null,
  ) {}

  private rootPath(cid: Cid): string {
    return join(this.dir, 'roots', `${cid}.json`)
  }

  private rawPath(cid: Cid): string {
    return join(this.dir, 'roots', `${cid}.raw`)
  }

  private pinPath(cid: Cid): string {
    return join(this.dir, 'pins', cid)
  }

  /** The record of a root, or null when that blob was never put (or was deleted). */
  async read(cid: Cid): Promise<RootRecord | null> {
    let text: string
    try {
      text = await readFile(this.rootPath(cid), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.readRaw(cid)
      throw error
    }
    const parsed = RootRecord.safeParse(JSON.parse(text))
    if (!parsed.success)
      throw new BanzaiError('corrupt', `root record of ${cid} is malformed: ${parsed.error.message}`)
    return parsed.data
  }

  private async readRaw(cid: Cid): Promise<RootRecord | null> {
    const info = await stat(this.rawPath(cid)).catch(() => null)
    return info ? { v: 1, cid, size: info.size, blocks: [cid] } : null
  }

  /** Whether a blob of one raw block is recorded by its link (`.raw`): one `stat`. */
  hasRaw(cid: Cid): boolean {
    return existsSync(this.rawPath(cid))
  }

  /**
   * Records a blob of one raw block, stored at `blockPath`, by a hard link to that file;
   * false when links are not possible there (then write a record instead).
   */
  async writeRaw(cid: Cid, blockPath: string): Promise<boolean> {
    const path = this.rawPath(cid)
    try {
      linkSync(blockPath, path)
      this.pending?.note(path)
    } catch (error) {
      if (error instanceof Error && 'code' in error) {
        if (error.code === 'EEXIST') {
          this.noteExisting(path)
          return true
        }
        if (error.code === 'EPERM' || error.code === 'EXDEV' || error.code === 'ENOTSUP') return false
      }
      throw error
    }
    if (this.pending === null) await syncDirectory(dirname(path))
    return true
  }

  /** Writes a root's record unless it is already there (then nothing is written). */
  async write(record: RootRecord): Promise<void> {
    const path = this.rootPath(record.cid)
    if (this.pending === null) {
      if (await exists(path)) return
      await writeFileAtomic(path, Buffer.from(JSON.stringify(record)), this.tmpDir, true)
      return
    }
    if (existsSync(path)) return this.noteExisting(path)
    this.pending.note(path)
    writeFileDeferred(path, Buffer.from(JSON.stringify(record)), this.tmpDir)
  }

  /** Notes a record found in place for the next flush (unless this process synced it already). */
  private noteExisting(path: string): void {
    const info = statSync(path, { throwIfNoEntry: false })
    if (info) this.pending?.noteExisting(path, fileIdentity(info))
  }

  /** Forgets a root (its blocks are the caller's business). */
  async remove(cid: Cid): Promise<void> {
    await removeFile(this.rootPath(cid))
    await removeFile(this.rawPath(cid))
  }

  /** Every root recorded, in no particular order. */
  async *list(): AsyncGenerator<Cid> {
    for (const entry of await this.entries()) yield entry.cid
  }

  /**
   * Every root recorded, each once, and whether it is a raw root (`.raw`: its one block is
   * itself, known without reading anything). One directory read, linear in the roots.
   */
  async entries(): Promise<{ cid: Cid; isRaw: boolean }[]> {
    const names = await readdir(join(this.dir, 'roots'))
    const records = new Set<string>()
    for (const name of names) if (name.endsWith('.json')) records.add(name.slice(0, -5))
    const out: { cid: Cid; isRaw: boolean }[] = []
    for (const name of names) {
      const isRaw = name.endsWith('.raw')
      const stem = name.endsWith('.json') ? name.slice(0, -5) : isRaw ? name.slice(0, -4) : null
      // A raw root written while a record of it exists too (two processes) is listed once.
      if (stem === null || (isRaw && records.has(stem))) continue
      const cid = Cid.safeParse(stem)
      if (cid.success) out.push({ cid: cid.data, isRaw })
    }
    return out
  }

  /** Whether a blob is pinned. */
  async isPinned(cid: Cid): Promise<boolean> {
    return exists(this.pinPath(cid))
  }

  /** Pins a blob (idempotent). */
  async pin(cid: Cid): Promise<void> {
    if (await this.isPinned(cid)) return
    await writeFileAtomic(this.pinPath(cid), new Uint8Array(0), this.tmpDir, true)
  }

  /** Unpins a blob (idempotent). */
  async unpin(cid: Cid): Promise<void> {
    await removeFile(this.pinPath(cid))
  }
}
