import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { openDatabase } from './open-database.ts'
import { isDiskFull, SpaceReserve } from './space-reserve.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'banzai-reserve-'))
  dirs.push(dir)
  const db = openDatabase(join(dir, 'banzai.db'))
  const file = join(dir, 'space-reserve')
  return { db, file, reserve: new SpaceReserve(db, { file, bytes: 1024 * 1024 }) }
}

/** The error better-sqlite3 throws when a write needs a page the file may not have. */
function fullError(db: ReturnType<typeof openDatabase>): unknown {
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
  try {
    db.prepare('INSERT INTO space_reserve (id, filler) VALUES (2, zeroblob(1048576))').run()
  } catch (error) {
    return error
  } finally {
    db.pragma('max_page_count = 1073741823')
  }
  throw new Error('the write should have failed')
}

describe('the space reserve (real SQLite file)', () => {
  test('armed, it holds its bytes in the database and in its file; a disk-full error releases both, once', () => {
    const { db, file, reserve } = setUp()
    expect(reserve.arm()).toBe(true)
    expect(statSync(file).size).toBe(1024 * 1024)
    expect(db.prepare('SELECT length(filler) AS n FROM space_reserve').get()).toEqual({ n: 1024 * 1024 })
    const pages = db.pragma('page_count', { simple: true }) as number

    const full = fullError(db)
    expect(isDiskFull(full)).toBe(true)
    expect(reserve.releaseFor(new Error('UNIQUE constraint failed'))).toBe(false)
    expect(reserve.isReleased()).toBe(false)
    expect(reserve.releaseFor(full)).toBe(true)
    expect(reserve.isReleased()).toBe(true)
    expect(existsSync(file)).toBe(false)
    // The pages stay in the file, free for the next writes: with no room to grow, 1 MiB still fits.
    expect(db.pragma('page_count', { simple: true })).toBe(pages)
    db.pragma(`max_page_count = ${pages}`)
    db.prepare('CREATE TABLE filler (b BLOB)').run()
    db.prepare('INSERT INTO filler VALUES (zeroblob(900000))').run()
    expect(reserve.releaseFor(full)).toBe(false) // nothing left to release
    expect(reserve.arm()).toBe(false) // and no room to make it again
    expect(reserve.isReleased()).toBe(true)

    db.pragma('max_page_count = 1073741823')
    expect(reserve.arm()).toBe(true)
    expect(reserve.isReleased()).toBe(false)
    expect(statSync(file).size).toBe(1024 * 1024)
    db.close()
  })
})
