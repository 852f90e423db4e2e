import { closeSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs'
import type { Db } from './open-database.ts'

/** Bytes the reserve keeps inside the database (pages freed for reuse on release) and in its file. */
export const RESERVE_BYTES = 8 * 1024 * 1024

/** Whether an error says the disk (or the database's allowed size) is full. */
export function isDiskFull(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = 'code' in error ? String(error.code) : ''
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || /database or disk is full/i.test(error.message)
}

/**
 * Room kept for recovering from a full disk (SPEC §5, issue 15): a row of zeros inside the
 * database and, with `file`, a file of zeros beside it. When a commit fails because the disk is
 * full, both are released (the file's bytes go back to the filesystem, the row's pages to the
 * database's free list, where the next writes find them without growing the file), so that
 * cancels, deletes, reports of running units, gc and cache clear can still be recorded. While
 * released, submissions are refused with what to free; `arm` makes the reserve again once there
 * is room.
 */
export class SpaceReserve {
  private released = false

  constructor(
    private readonly db: Db,
    private readonly options: { file?: string; bytes?: number } = {},
  ) {
    db.exec('CREATE TABLE IF NOT EXISTS space_reserve (id INTEGER PRIMARY KEY, filler BLOB NOT NULL)')
  }

  private get bytes(): number {
    return this.options.bytes ?? RESERVE_BYTES
  }

  /** Makes whatever part of the reserve is missing; returns whether it is whole (false: no room yet). */
  arm(): boolean {
    try {
      const present = this.db.prepare('SELECT 1 FROM space_reserve WHERE id = 1').get()
      if (present === undefined)
        this.db.prepare('INSERT INTO space_reserve (id, filler) VALUES (1, zeroblob(?))').run(this.bytes)
      if (this.options.file) this.writeFile(this.options.file)
      this.released = false
      return true
    } catch (error) {
      if (!isDiskFull(error)) throw error
      this.released = true
      return false
    }
  }

  /** Whether the reserve was released and is not whole again. */
  isReleased(): boolean {
    return this.released
  }

  /**
   * On a disk-full error, releases the reserve and returns true (the caller may try its write
   * once more); false for any other error, or when there was nothing left to release.
   */
  releaseFor(error: unknown): boolean {
    if (!isDiskFull(error)) return false
    let freed = false
    if (this.options.file) {
      try {
        unlinkSync(this.options.file)
        freed = true
      } catch {
        // Already gone: nothing to free there.
      }
    }
    try {
      freed = this.db.prepare('DELETE FROM space_reserve').run().changes > 0 || freed
    } catch {
      // The file's bytes may be what lets the next write through.
    }
    this.released = true
    return freed
  }

  private writeFile(path: string): void {
    if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) >= this.bytes) return
    const chunk = Buffer.alloc(1024 * 1024)
    const fd = openSync(path, 'w')
    try {
      for (let written = 0; written < this.bytes; written += chunk.length) writeSync(fd, chunk)
    } catch (error) {
      closeSync(fd)
      unlinkSync(path)
      throw error
    }
    closeSync(fd)
  }
}

/** Why submissions are refused while the reserve is released (what to free), or null. */
export function spaceRefusal(reserve: SpaceReserve | undefined): string | null {
  if (reserve?.isReleased() !== true) return null
  return "the disk is full: the monitor released its space reserve so that running pipelines, cancel, delete, gc and cache clear can still be recorded, and takes no new pipeline until there is room again. Free space on the data folder's disk: banzai delete ID (or --before DATE) then banzai gc, or banzai cache clear; submissions are taken again once the reserve is made again (checked every few seconds)"
}
