import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { z } from 'zod'
import { BanzaiError } from '../../domain/index.ts'

/** Who holds a data folder: written beside the lock as `monitor.json` for the next one to name. */
export const LockHolder = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  api: z.string().nullable(),
  zmqPorts: z.array(z.number().int()),
})
export type LockHolder = z.infer<typeof LockHolder>

/** The data folder's lock, held until `release()` or the death of the process. */
export interface DataFolderLock {
  /** Rewrites `monitor.json` (e.g. once the API's real URL is known). */
  describe(holder: LockHolder): void
  release(): void
}

/** The file whose exclusive SQLite lock is the data folder's lock (SPEC §5). */
export const LOCK_FILE = 'monitor.lock'
/** The holder's pid and ports, beside the lock. */
export const HOLDER_FILE = 'monitor.json'

/**
 * Takes the one-monitor-per-data-folder lock: an SQLite connection to `<dir>/monitor.lock` in
 * `locking_mode=EXCLUSIVE` that has written once, so it keeps the file's POSIX (fcntl) lock until
 * it closes; the kernel drops that lock when the process dies, even by SIGKILL. Never waits: a
 * folder already held throws a `conflict` BanzaiError naming the holder.
 */
export function acquireDataFolderLock(dir: string, holder: LockHolder): DataFolderLock {
  const file = join(dir, LOCK_FILE)
  const holderFile = join(dir, HOLDER_FILE)
  let db: Database.Database | null = null
  try {
    db = new Database(file, { timeout: 0 })
    db.pragma('locking_mode = EXCLUSIVE')
    // No journal file: the lock is the point, the one row is not precious.
    db.pragma('journal_mode = OFF')
    db.exec(
      'CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY, pid INTEGER NOT NULL, at TEXT NOT NULL)',
    )
    db.prepare('INSERT OR REPLACE INTO lock (id, pid, at) VALUES (1, ?, ?)').run(holder.pid, holder.startedAt)
  } catch (error) {
    db?.close()
    if (isBusy(error)) throw new BanzaiError('conflict', inUseMessage(dir, readHolder(holderFile)))
    throw new BanzaiError(
      'corrupt',
      `cannot lock the data folder: ${file}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  const connection = db
  const describe = (next: LockHolder): void => writeFileSync(holderFile, JSON.stringify(next) + '\n')
  describe(holder)
  let released = false
  return {
    describe,
    release() {
      if (released) return
      released = true
      rmSync(holderFile, { force: true })
      connection.close()
    },
  }
}

function isBusy(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = LockHolder.safeParse(JSON.parse(readFileSync(file, 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    // Missing or half-written: the message says so instead of naming a holder.
    return null
  }
}

function inUseMessage(dir: string, holder: LockHolder | null): string {
  const who =
    holder === null
      ? 'a process whose details are not recorded yet'
      : `pid ${holder.pid}, API ${holder.api ?? '(starting)'}, ZeroMQ ports ${holder.zmqPorts.join(', ')}, since ${holder.startedAt}`
  return `the data folder ${dir} is in use by another monitor (${who}); stop it first, or choose another --data`
}
