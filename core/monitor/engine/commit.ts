import { type MonitorTransport, persistPipeline } from '../../domain/index.ts'
import type { EventLog } from '../event-log.ts'
import type { GcRootsTable } from '../gc-roots-table.ts'
import type { PipelineTable } from '../pipeline-table.ts'
import type { Db } from '../sqlite/open-database.ts'
import type { SpaceReserve } from '../sqlite/space-reserve.ts'
import type { Actors } from './actor.ts'
import type { Tick } from './tick.ts'

/** What writing a tick uses. */
export interface CommitDeps {
  db: Db
  log: EventLog
  pipelines: PipelineTable
  actors: Actors
  roots: GcRootsTable
  /** Room released when the disk is full, so that the tick can be written once more. */
  reserve?: SpaceReserve
}

/**
 * Writes a tick in one transaction: its events, the writes that go with them and the snapshots
 * of the pipelines it touched. If that fails, every touched actor is rolled back and the error
 * is thrown; nothing of the tick is recorded. A disk-full failure first releases the space
 * reserve, if there is one, and tries again.
 */
export function writeTick(deps: CommitDeps, tick: Tick): void {
  const write = deps.db.transaction(() => {
    deps.log.append(tick.events)
    deps.roots.record(tick.events)
    for (const write of tick.writes) write()
    for (const id of tick.touched()) {
      const actor = deps.actors.get(id)
      if (!actor?.detail) continue
      const live = actor.snapshot.context.status === 'active'
      deps.pipelines.save(
        actor.detail,
        actor.lastSeq,
        live ? persistPipeline(actor.snapshot) : null,
        actor.idempotencyKey,
      )
    }
  })
  try {
    try {
      write()
    } catch (error) {
      // A full disk: the reserve's room is released and the (rolled back) transaction tried once more.
      if (deps.reserve?.releaseFor(error) !== true) throw error
      write()
    }
  } catch (error) {
    tick.rollback(deps.actors)
    throw error
  }
}

/**
 * What happens only after a tick committed: its sends and lease changes, then one `Ack` of
 * its final reports. A send that throws is reported and the others still run. Returns whether
 * the tick freed credit or made retries due (then the engine should look again soon).
 */
export function sendAfterCommit(
  deps: { transport: MonitorTransport; onError: (message: string, error: unknown) => void },
  tick: Tick,
): boolean {
  for (const run of tick.afterCommit) {
    try {
      run()
    } catch (error) {
      deps.onError('a send after commit failed', error)
    }
  }
  if (tick.acks.size > 0) deps.transport.publish({ type: 'Ack', orderIds: [...tick.acks] })
  return tick.releasedOn.size > 0
}
