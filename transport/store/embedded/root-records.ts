import { access, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { BanzaiError, Cid } from '../../../core/domain/index.ts'
import { removeFile, writeFileAtomic } from './atomic-file.ts'

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
 */
export class RootRecords {
  constructor(
    private readonly dir: string,
    private readonly tmpDir: string,
  ) {}

  private rootPath(cid: Cid): string {
    return join(this.dir, 'roots', `${cid}.json`)
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
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    const parsed = RootRecord.safeParse(JSON.parse(text))
    if (!parsed.success)
      throw new BanzaiError('corrupt', `root record of ${cid} is malformed: ${parsed.error.message}`)
    return parsed.data
  }

  /** Writes a root's record unless it is already there (then nothing is written). */
  async write(record: RootRecord): Promise<void> {
    const path = this.rootPath(record.cid)
    if (await exists(path)) return
    await writeFileAtomic(path, Buffer.from(JSON.stringify(record)), this.tmpDir, true)
  }

  /** Forgets a root (its blocks are the caller's business). */
  async remove(cid: Cid): Promise<void> {
    await removeFile(this.rootPath(cid))
  }

  /** Every root recorded, in no particular order. */
  async *list(): AsyncGenerator<Cid> {
    const names = await readdir(join(this.dir, 'roots'))
    for (const name of names) {
      if (!name.endsWith('.json')) continue
      const cid = Cid.safeParse(name.slice(0, -'.json'.length))
      if (cid.success) yield cid.data
    }
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
