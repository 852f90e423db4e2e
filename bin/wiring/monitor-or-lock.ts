import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { BanzaiError, ValidationError } from '../../core/domain/index.ts'
import {
  acquireDataFolderLock,
  type Db,
  HOLDER_FILE,
  LockHolder,
  openDatabase,
} from '../../core/monitor/index.ts'
import { ApiClient } from '../client.ts'

/** The running monitor's API URL, from `monitor.json` beside the lock, or null while it starts. */
function holderApi(data: string): string | null {
  try {
    const parsed = LockHolder.safeParse(JSON.parse(readFileSync(join(data, HOLDER_FILE), 'utf8')))
    return parsed.success ? parsed.data.api : null
  } catch {
    return null
  }
}

/**
 * Runs a maintenance command (gc, cache clear) the safe way (SPEC §5): through the running
 * monitor's API when a monitor holds the data folder's lock, else under that lock, so no monitor
 * can start while it works.
 */
export async function throughMonitorOrLock<T>(
  dataDir: string,
  token: string,
  viaApi: (client: ApiClient) => Promise<T>,
  underLock: (db: Db) => Promise<T>,
): Promise<T> {
  const data = resolve(dataDir)
  const file = join(data, 'banzai.db')
  if (!existsSync(file)) throw new ValidationError(`no Banzai data in ${data} (${file} does not exist)`)
  let lock: ReturnType<typeof acquireDataFolderLock>
  try {
    lock = acquireDataFolderLock(data, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      api: null,
      zmqPorts: [],
    })
  } catch (error) {
    if (!(error instanceof BanzaiError && error.code === 'conflict')) throw error
    const api = holderApi(data)
    if (api === null)
      throw new BanzaiError(
        'unavailable',
        `the monitor of ${data} is starting (its API is not known yet); try again`,
      )
    return viaApi(new ApiClient(api, token))
  }
  try {
    const db = openDatabase(file)
    try {
      return await underLock(db)
    } finally {
      db.close()
    }
  } finally {
    lock.release()
  }
}
