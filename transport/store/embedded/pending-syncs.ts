import { execFile } from 'node:child_process'
import { open } from 'node:fs/promises'
import { dirname } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Above this many written files, one `syncfs` of the whole file system beats an fsync per file. */
const SYNCFS_ABOVE_FILES = 32
/** Files fsynced at once when they are synced one by one (the libuv pool has 4 threads). */
const SYNC_CONCURRENCY = 8

/** Files remembered as synced by this process (path → inode), at most. */
const SYNCED_REMEMBERED = 8192

/**
 * Which file a path holds: its inode and change time (an inode number freed by a delete may come
 * back at once for a new file; its change time does not).
 */
export function fileIdentity(stats: { ino: number; ctimeMs: number }): string {
  return `${stats.ino}:${stats.ctimeMs}`
}

/** Fsyncs a file or directory; returns its identity. */
async function syncPath(path: string): Promise<string> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
    return fileIdentity(await handle.stat())
  } finally {
    await handle.close()
  }
}

/**
 * Files renamed into place without an fsync, made durable together by `flush()`: a few are
 * fsynced one by one with their directories; many take one `syncfs(2)` of the file system
 * (coreutils `sync -f`, Linux), which also commits the renames. Where `sync -f` is missing
 * the files and directories are fsynced one by one. A file found already present is synced
 * again only if this process has not synced that very file (same path, same inode and change time) before: on
 * ext4 an fsync costs milliseconds even with nothing to write, and a worker re-putting a blob it
 * produced before (NOOP's `{}`, a cached item) would pay several per report.
 */
export class PendingSyncs {
  private files = new Set<string>()
  private readonly synced = new Map<string, string>()
  private hasSyncfs = process.platform === 'linux'

  constructor(private readonly root: string) {}

  /** Notes a file written (and renamed into place) but not yet synced. */
  note(path: string): void {
    this.synced.delete(path)
    this.files.add(path)
  }

  /**
   * Notes a file found already in place (maybe put there by another process, not yet synced):
   * it waits for the next flush unless this process synced that same file (`fileIdentity`) there.
   */
  noteExisting(path: string, identity: string): void {
    if (this.synced.get(path) !== identity) this.files.add(path)
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
        try {
          this.remember(path, await syncPath(path))
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        }
      }
    }
    await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, lane))
  }

  private remember(path: string, identity: string): void {
    if (this.synced.size >= SYNCED_REMEMBERED) this.synced.delete(this.synced.keys().next().value!)
    this.synced.set(path, identity)
  }
}
