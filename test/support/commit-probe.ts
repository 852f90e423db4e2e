import { vi } from 'vitest'
import type { Db } from '../../core/monitor/index.ts'

/** One transaction the monitor ran, as the probe saw it. */
export interface CommitAttempt {
  ok: boolean
  error: string | null
  /** Rows of the events table before and after the attempt. */
  eventsBefore: number
  eventsAfter: number
  /** Whether a transaction was still open on the connection afterwards. */
  leftOpen: boolean
}

/** Records every transaction run on `db` (the monitor commits each tick in one), without changing it. */
export function probeCommits(db: Db): { attempts: CommitAttempt[]; restore: () => void } {
  const attempts: CommitAttempt[] = []
  const countEvents = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events')
  const original = db.transaction.bind(db)
  const spy = vi.spyOn(db, 'transaction').mockImplementation(((fn: Parameters<Db['transaction']>[0]) => {
    const transaction = original(fn)
    const call = transaction as (...args: unknown[]) => unknown
    const run = (...args: unknown[]): unknown => {
      const eventsBefore = countEvents.get()!.n
      try {
        const result = call(...args)
        attempts.push({
          ok: true,
          error: null,
          eventsBefore,
          eventsAfter: countEvents.get()!.n,
          leftOpen: db.inTransaction,
        })
        return result
      } catch (error) {
        attempts.push({
          ok: false,
          error: String(error),
          eventsBefore,
          eventsAfter: countEvents.get()!.n,
          leftOpen: db.inTransaction,
        })
        throw error
      }
    }
    return Object.assign(run, transaction)
  }) as Db['transaction'])
  return { attempts, restore: () => spy.mockRestore() }
}
