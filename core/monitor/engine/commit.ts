import { type MonitorTransport, type PipelineDetail, persistPipeline } from '../../domain/index.ts'
import type { EventLog } from '../event-log.ts'
import type { GcRootsTable } from '../gc-roots-table.ts'
import type { PipelineTable } from '../pipeline-table.ts'
import type { Db } from '../sqlite/open-database.ts'
import type { SpaceReserve } from '../sqlite/space-reserve.ts'
import type { Actor, Actors } from './actor.ts'
import type { Clock } from './clock.ts'
import type { SnapshotSchedule } from './snapshot-schedule.ts'
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
  /** When snapshot rows are written, and the committed details of rows that lag. */
  schedule: SnapshotSchedule
  clock: Clock
}

/** Writes a live or just-ended pipeline's snapshot row (its machine only while it is live). */
function saveRow(pipelines: PipelineTable, actor: Actor & { detail: PipelineDetail }): void {
  const live = actor.snapshot.context.status === 'active'
  pipelines.save(
    actor.detail,
    actor.lastSeq,
    live ? persistPipeline(actor.snapshot) : null,
    actor.idempotencyKey,
  )
}

/**
 * Writes a tick in one transaction: its events, the writes that go with them and the snapshot
 * rows that are due (SnapshotSchedule: a new pipeline, a status change, an end, or a row that lags
 * too long). If that fails, every touched actor is rolled back and the error is thrown; nothing of
 * the tick is recorded. A disk-full failure first releases the space reserve, if there is one,
 * and tries again.
 */
export function writeTick(deps: CommitDeps, tick: Tick): void {
  const now = deps.clock.monotonic()
  const touched = tick.touched()
  const due: (Actor & { detail: PipelineDetail })[] = []
  for (const id of touched) {
    const actor = deps.actors.get(id)
    if (actor?.detail && deps.schedule.isDue(actor, now)) due.push({ ...actor, detail: actor.detail })
  }
  const isTouched = new Set(touched)
  for (const id of deps.schedule.lagging(now)) {
    const actor = deps.actors.get(id)
    if (!isTouched.has(id) && actor?.detail) due.push({ ...actor, detail: actor.detail })
  }
  const write = deps.db.transaction(() => {
    deps.log.append(tick.events)
    deps.roots.record(tick.events)
    for (const write of tick.writes) write()
    for (const actor of due) saveRow(deps.pipelines, actor)
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
  for (const actor of due) deps.schedule.wrote(actor.detail, now)
  for (const id of touched) {
    const actor = deps.actors.get(id)
    if (!actor?.detail) continue
    if (actor.snapshot.context.status === 'active') deps.schedule.commit(actor.detail)
    else deps.schedule.forget(id)
  }
}

/** Writes the rows of every live pipeline whose row lags (at shutdown), in one transaction. */
export function writeLaggingRows(deps: CommitDeps): number {
  const now = deps.clock.monotonic()
  const lagging = deps.schedule.lagged().flatMap((id) => {
    const actor = deps.actors.get(id)
    return actor?.detail ? [{ ...actor, detail: actor.detail }] : []
  })
  deps.db.transaction(() => {
    for (const actor of lagging) saveRow(deps.pipelines, actor)
  })()
  for (const actor of lagging) deps.schedule.wrote(actor.detail, now)
  return lagging.length
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
