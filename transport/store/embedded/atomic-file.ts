import { randomBytes } from 'node:crypto'
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/** Age (ms) after which a leftover temp file is taken for a crashed writer's and removed: 1 hour. */
const STALE_TEMP_MS = 3_600_000

/**
 * Writes a file atomically: a temp file in `tmpDir` (same file system), written, fsynced,
 * then renamed over `path`. Readers see the old file or the whole new one, never a part.
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  tmpDir: string,
  syncDir = false,
): Promise<void> {
  const temp = join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx')
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await mkdir(dirname(path), { recursive: true })
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  if (syncDir) await syncDirectory(dirname(path))
}

/** Names this process's deferred temp files: pid, a random tag drawn once, a counter. */
const DEFERRED_PREFIX = `${process.pid}-${randomBytes(4).toString('hex')}-`
let deferredCount = 0

/**
 * Writes a file atomically but not yet durably: a temp file in `tmpDir`, renamed over `path`,
 * no fsync (the caller's PendingSyncs makes it durable later). Synchronous system calls: a
 * small file costs a few microseconds each, far less than a round trip through the libuv
 * pool, and at most one 256 KiB block is written per call so the event loop never waits long.
 */
export function writeFileDeferred(path: string, bytes: Uint8Array, tmpDir: string): void {
  const temp = join(tmpDir, `${DEFERRED_PREFIX}${++deferredCount}.tmp`)
  writeFileSync(temp, bytes, { flag: 'wx' })
  try {
    renameSync(temp, path)
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) {
      rmSync(temp, { force: true })
      throw error
    }
    // The first block in a shard folder: create it, then rename again.
    mkdirSync(dirname(path), { recursive: true })
    try {
      renameSync(temp, path)
    } catch (again) {
      rmSync(temp, { force: true })
      throw again
    }
  }
}

/**
 * writeFileDeferred through the libuv thread pool, for large blocks: the copy into the page
 * cache then overlaps with the caller's hashing and inflating instead of holding the loop.
 */
export async function writeFileDeferredAsync(path: string, bytes: Uint8Array, tmpDir: string): Promise<void> {
  const temp = join(tmpDir, `${DEFERRED_PREFIX}${++deferredCount}.tmp`)
  await writeFile(temp, bytes, { flag: 'wx' })
  try {
    await rename(temp, path).catch(async (error: unknown) => {
      if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error
      await mkdir(dirname(path), { recursive: true })
      await rename(temp, path)
    })
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

/** Fsyncs a directory so that a rename into it survives a power cut. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Removes a file; a file already gone is fine. */
export async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/** Removes temp files left by writers that crashed (older than an hour), keeping live ones. */
export async function removeStaleTemps(tmpDir: string, now: number): Promise<void> {
  for (const name of await readdir(tmpDir)) {
    const path = join(tmpDir, name)
    const info = await stat(path).catch(() => null)
    if (info && now - info.mtimeMs > STALE_TEMP_MS) await removeFile(path)
  }
}
