import { CacheCleared, GcResult, ValidationError } from '../../core/domain/index.ts'
import { collectGarbage, MemoTable } from '../../core/monitor/index.ts'
import { resolveSettings } from '../settings.ts'
import { throughMonitorOrLock } from '../wiring/monitor-or-lock.ts'
import { openStore } from '../wiring/open-store.ts'

type Flags = Record<string, unknown>

/**
 * `banzai cache clear [--task NAME]`: forgets memoized results, through the running monitor when
 * one holds the data folder, else under its lock (SPEC §5).
 */
export async function clearCache(flags: Flags): Promise<void> {
  const settings = resolveSettings(flags)
  const task = typeof flags.task === 'string' ? flags.task : undefined
  const { steps, items } = await throughMonitorOrLock(
    settings.data,
    settings.token,
    (api) => api.call(CacheCleared, 'POST', '/cache/clear', task ? { task } : {}),
    (db) => Promise.resolve(new MemoTable(db).clear(task)),
  )
  console.log(`forgot ${steps} step result(s) and ${items} item result(s)${task ? ` of ${task}` : ''}`)
}

/** `banzai gc [--max-bytes N]`: removes unreferenced blobs, through the running monitor or under the lock. */
export async function collectBlobs(flags: Flags): Promise<void> {
  const settings = resolveSettings(flags)
  const maxBytes = flags.maxBytes === undefined ? undefined : Number(flags.maxBytes)
  if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes >= 0))
    throw new ValidationError(
      `--max-bytes must be a whole number of bytes, got ${JSON.stringify(flags.maxBytes)}`,
    )
  const options = maxBytes === undefined ? {} : { maxBytes }
  const report = await throughMonitorOrLock(
    settings.data,
    settings.token,
    (api) => api.call(GcResult, 'POST', '/gc', options),
    async (db) => {
      const store = await openStore(settings)
      try {
        return await collectGarbage(db, store, options)
      } finally {
        await store.close()
      }
    },
  )
  console.log(
    `removed ${report.removed} blob(s) (${report.removedBytes} bytes); kept ${report.kept} (${report.keptBytes} bytes), ${report.referenced} referenced`,
  )
}
