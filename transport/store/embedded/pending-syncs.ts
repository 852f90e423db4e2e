import { execFile } from 'node:child_process'
import { open } from 'node:fs/promises'
import { dirname } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Above this many written files, one `syncfs` of the whole file system beats an fsync per file. */
const SYNCFS_ABOVE_FILES = 32
/** Files fsynced at once when they are synced one by one (the libuv pool has 4 threads). */
const SYNC_CONCURRENCY = 8

async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Files renamed into place without an fsync, made durable together by `flush()`: a few are
 * fsynced one by one with their directories; many take one `syncfs(2)` of the file system
 * (coreutils `sync -f`, Linux), which also commits the renames. Where `sync -f` is missing
 * the files and directories are fsynced one by one.
 */
export class PendingSyncs {
  private files = new Set<string>()
  private hasSyncfs = process.platform === 'linux'

  constructor(private readonly root: string) {}

  /** Notes a file written (and renamed into place) but not yet synced. */
  note(path: string): void {
    this.files.add(path)
  }

  /** How many files wait for the next flush. */
  get size(): number {
    return this.files.size
  }

  /** Makes every noted file and its directory entry durable; resolves once they are. */
  async flush(): Promise<void> {
    if (this.files.size === 0) return
    const files = [...this.files]
    this.files = new Set()
    try {
      if (files.length > SYNCFS_ABOVE_FILES && this.hasSyncfs && (await this.syncFileSystem())) return
      await this.syncEach(files)
    } catch (error) {
      // Not durable: keep them for the next flush, and let the caller fail its report.
      for (const file of files) this.files.add(file)
      throw error
    }
  }

  /** One syncfs of the store's file system; false when it could not run (then sync file by file). */
  private async syncFileSystem(): Promise<boolean> {
    try {
      await run('sync', ['-f', this.root])
      return true
    } catch (error) {
      // No `sync` binary: never try again. Another failure (a BSD `sync` without -f, EIO):
      // this flush syncs file by file, which reports a real I/O error itself.
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') this.hasSyncfs = false
      return false
    }
  }

  private async syncEach(files: string[]): Promise<void> {
    const paths = [...files, ...new Set(files.map((file) => dirname(file)))]
    let next = 0
    const lane = async (): Promise<void> => {
      while (next < paths.length) {
        const path = paths[next++]!
        // A file deleted since it was written (GC, a failed put's cleanup) has nothing to sync.
        await syncPath(path).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        })
      }
    }
    await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, lane))
  }
}
