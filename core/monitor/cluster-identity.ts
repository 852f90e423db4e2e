import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ClusterId, OrderId } from '../domain/index.ts'
import type { Db } from './sqlite/open-database.ts'

/** The data folder's identity: its cluster id, and the secret that signs its orders. */
export interface ClusterIdentity {
  cluster: ClusterId
  /** The token of an order: HMAC-SHA256 of its id under the secret, hex. */
  tokenFor(orderId: OrderId): string
  /** Whether `token` is the token of `orderId` (compared in constant time). */
  isValidToken(orderId: OrderId, token: string | undefined): boolean
}

/** Order tokens kept by an identity (oldest forgotten first): more than the units in flight. */
const RECENT_TOKENS = 4096

/** The name of the secret's file beside the log; never logged, never served. */
export const CLUSTER_SECRET_FILE = 'cluster.secret'

/** An identity from its parts (tests; `loadClusterIdentity` for a data folder). */
export function createClusterIdentity(cluster: string, secret: Buffer): ClusterIdentity {
  // The tokens of recent orders, so that each order's reports (start, progress, end) cost no HMAC.
  const recent = new Map<OrderId, string>()
  const tokenFor = (orderId: OrderId): string => {
    const known = recent.get(orderId)
    if (known !== undefined) return known
    const token = createHmac('sha256', secret).update(orderId).digest('hex')
    if (recent.size >= RECENT_TOKENS) recent.delete(recent.keys().next().value as OrderId)
    recent.set(orderId, token)
    return token
  }
  return {
    cluster,
    tokenFor,
    isValidToken(orderId, token) {
      if (token === undefined) return false
      const expected = Buffer.from(tokenFor(orderId))
      const given = Buffer.from(token)
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
  }
}

/** Reads the cluster id from the log's `meta` table, making it once (the first open of a data folder). */
export function readClusterId(db: Db): ClusterId {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('cluster', ?)").run(`c-${randomUUID()}`)
  const row: unknown = db.prepare("SELECT value FROM meta WHERE key = 'cluster'").pluck().get()
  if (typeof row !== 'string') throw new Error('the meta table has no cluster id after writing it')
  return row
}

/** Reads the order-signing secret beside the log (`<data>/cluster.secret`, mode 600), making it once. */
export function readClusterSecret(dataDir: string): Buffer {
  const file = join(dataDir, CLUSTER_SECRET_FILE)
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 })
    } catch (error) {
      // Another process made it first ('wx'): read theirs.
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error
    }
  }
  chmodSync(file, 0o600)
  const hex = readFileSync(file, 'utf8').trim()
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new Error(`${file} is not a 32-byte hex secret; remove it to make a new one`)
  return Buffer.from(hex, 'hex')
}

/** The identity of a data folder: the id kept in its log and the secret kept beside it. */
export function loadClusterIdentity(db: Db, dataDir: string): ClusterIdentity {
  return createClusterIdentity(readClusterId(db), readClusterSecret(dataDir))
}
