import { join } from 'node:path'
import Database from 'better-sqlite3'

/** Where a packed blob's bytes are: `size` bytes at `offset` of pack file `pack`. */
export interface PackedAt {
  pack: string
  offset: number
  size: number
}

/** A pack file's row: who writes it (pid), whether it will grow no more, and its live bytes. */
export interface PackInfo {
  name: string
  pid: number
  isSealed: boolean
  liveBytes: number
  liveBlobs: number
}

/** How long a connection waits for another process's write transaction, ms. */
const BUSY_TIMEOUT_MS = 10_000

/**
 * The index of packed blobs, `packs/index.db` (SQLite, WAL, synchronous=FULL): CID → (pack,
 * offset, size), and the pack files known. Shared by every process that opens the store; a
 * row is inserted only once its bytes are fsynced (Packs.flush), so a row always names
 * durable bytes. SQLite, not a file of our own: several processes read and write it at once,
 * and a crash must never leave it half-written.
 */
export class PackIndex {
  private readonly db: Database.Database
  private readonly statements

  constructor(packsDir: string) {
    this.db = new Database(join(packsDir, 'index.db'), { timeout: BUSY_TIMEOUT_MS })
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = FULL')
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS packs (
        name TEXT PRIMARY KEY, pid INTEGER NOT NULL, sealed INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS blobs (
        cid TEXT PRIMARY KEY, pack TEXT NOT NULL, offset INTEGER NOT NULL, size INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS blobs_by_pack ON blobs (pack);
    `)
    const db = this.db
    this.statements = {
      find: db.prepare<[string], PackedAt>('SELECT pack, offset, size FROM blobs WHERE cid = ?'),
      insert: db.prepare<[string, string, number, number]>(
        'INSERT OR IGNORE INTO blobs (cid, pack, offset, size) VALUES (?, ?, ?, ?)',
      ),
      move: db.prepare<[string, number, string, string]>(
        'UPDATE blobs SET pack = ?, offset = ? WHERE cid = ? AND pack = ?',
      ),
      remove: db.prepare<[string]>('DELETE FROM blobs WHERE cid = ?'),
      cids: db.prepare<[], { cid: string }>('SELECT cid FROM blobs'),
      inPack: db.prepare<[string], { cid: string } & PackedAt>(
        'SELECT cid, pack, offset, size FROM blobs WHERE pack = ?',
      ),
      addPack: db.prepare<[string, number]>('INSERT OR IGNORE INTO packs (name, pid) VALUES (?, ?)'),
      seal: db.prepare<[string]>('UPDATE packs SET sealed = 1 WHERE name = ?'),
      dropPack: db.prepare<[string]>('DELETE FROM packs WHERE name = ?'),
      packs: db.prepare<[], { name: string; pid: number; sealed: number; live: number; blobs: number }>(
        `SELECT p.name, p.pid, p.sealed, COALESCE(SUM(b.size), 0) AS live, COUNT(b.cid) AS blobs
         FROM packs p LEFT JOIN blobs b ON b.pack = p.name GROUP BY p.name`,
      ),
    }
  }

  /** Where a blob is packed, or null when no pack holds it. */
  find(cid: string): PackedAt | null {
    return this.statements.find.get(cid) ?? null
  }

  /** Records blobs whose bytes are durable, in one transaction; a CID already indexed keeps its row. */
  insertAll(rows: Iterable<[string, PackedAt]>): void {
    this.db.transaction(() => {
      for (const [cid, at] of rows) this.statements.insert.run(cid, at.pack, at.offset, at.size)
    })()
  }

  /** Points blobs at their copies in another pack (compaction), unless they left `from` meanwhile. */
  moveAll(from: string, rows: Iterable<[string, PackedAt]>): void {
    this.db.transaction(() => {
      for (const [cid, at] of rows) this.statements.move.run(at.pack, at.offset, cid, from)
    })()
  }

  /** Forgets blobs, in one transaction. */
  removeAll(cids: Iterable<string>): void {
    this.db.transaction(() => {
      for (const cid of cids) this.statements.remove.run(cid)
    })()
  }

  /** Every packed blob's CID. */
  cids(): string[] {
    return this.statements.cids.all().map((row) => row.cid)
  }

  /** The blobs a pack holds. */
  blobsIn(pack: string): ({ cid: string } & PackedAt)[] {
    return this.statements.inPack.all(pack)
  }

  /** Registers a new pack file written by `pid` (before any blob row names it). */
  addPack(name: string, pid: number): void {
    this.statements.addPack.run(name, pid)
  }

  /** Marks a pack as complete: nothing will be appended to it any more. */
  seal(name: string): void {
    this.statements.seal.run(name)
  }

  /** Forgets a pack file (its file is removed by the caller). */
  dropPack(name: string): void {
    this.statements.dropPack.run(name)
  }

  /** Every pack known, with its live bytes and blobs. */
  packs(): PackInfo[] {
    return this.statements.packs.all().map((row) => ({
      name: row.name,
      pid: row.pid,
      isSealed: row.sealed === 1,
      liveBytes: row.live,
      liveBlobs: row.blobs,
    }))
  }

  close(): void {
    this.db.close()
  }
}
