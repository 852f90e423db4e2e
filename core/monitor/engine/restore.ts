import {
  evolveDetail,
  persistPipeline,
  type PipelineDetail,
  type PipelineId,
  type PipelineSnapshot,
  type RetryPolicy,
  restorePipeline,
  stepPipeline,
} from '../../domain/index.ts'
import type { EventLog } from '../event-log.ts'
import { replayPipeline } from '../replay.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { PipelineTable } from '../pipeline-table.ts'
import type { Actors } from './actor.ts'
import type { Clock } from './clock.ts'
import type { FollowerIndex } from './follower-index.ts'
import type { SnapshotSchedule } from './snapshot-schedule.ts'

/** What restoring the live pipelines uses. */
export interface RestoreDeps {
  actors: Actors
  pipelines: PipelineTable
  leases: LeaseTable
  clock: Clock
  log: EventLog
  retryPolicy: RetryPolicy
  /** Which pipelines have steps joined to which leader (filled from the restored states). */
  followers: FollowerIndex
  /** Notes the rows as written (the schedule then knows how far each lags). */
  schedule: SnapshotSchedule
  /** Says that a damaged snapshot row was rebuilt from the pipeline's events. */
  warn: (message: string) => void
}

interface Restored {
  id: string
  detail: PipelineDetail
  lastSeq: number
  snapshot: PipelineSnapshot
}

/**
 * Feeds a pipeline's events after its snapshot row (the log tail: at most SnapshotSchedule's
 * bound) through its machine and projection, as they were fed when recorded. Returns `row`
 * itself when there are none.
 */
function replayTail(log: EventLog, row: Restored): Restored {
  let current = row
  for (;;) {
    const page = log.readPipeline(row.id, current.detail.pipelineSeq, 1000)
    for (const event of page)
      current = {
        id: row.id,
        detail: evolveDetail(current.detail, event),
        lastSeq: event.seq,
        snapshot: stepPipeline(current.snapshot, event, event.at).snapshot,
      }
    if (page.length < 1000) return current
  }
}

/**
 * Loads the live pipelines from their snapshots and the events after them (no older history is
 * replayed, nothing is re-sent), and gives their in-flight units a fresh lease, which their
 * workers' heartbeats then renew.
 */
export function restoreLive(deps: RestoreDeps): void {
  const now = deps.clock.monotonic()
  const { rows, damaged } = deps.pipelines.loadLiveOrDamaged()
  const restored: Restored[] = []
  const behind: Restored[] = []
  for (const row of rows) {
    const start = {
      id: row.id,
      detail: row.detail,
      lastSeq: row.lastSeq,
      snapshot: restorePipeline(row.machine),
    }
    const caught = replayTail(deps.log, start)
    if (caught !== start) behind.push(caught)
    if (caught.snapshot.context.status === 'active') restored.push(caught)
  }
  // Rows that lagged their events are written back at once, so reads of them are current.
  if (behind.length > 0)
    deps.pipelines.saveAll(
      behind.map((r) => ({
        detail: r.detail,
        lastSeq: r.lastSeq,
        machine: r.snapshot.context.status === 'active' ? persistPipeline(r.snapshot) : null,
      })),
    )
  for (const bad of damaged) {
    const replayed = replayPipeline(deps.log, bad.id, deps.retryPolicy)
    if (!replayed) throw new Error(`${bad.error}, and pipeline ${bad.id} has no events to rebuild it from`)
    deps.warn(`${bad.error}: rebuilt pipeline ${bad.id} from its ${replayed.detail.pipelineSeq} events`)
    const lastSeq = deps.log.readPipeline(bad.id, replayed.detail.pipelineSeq - 1, 1)[0]?.seq ?? 0
    const isLive = replayed.snapshot.context.status === 'active'
    // The row is written back at once, so reads of it (the API) parse again.
    deps.pipelines.save(replayed.detail, lastSeq, isLive ? persistPipeline(replayed.snapshot) : null, null)
    if (isLive) restored.push({ id: bad.id, detail: replayed.detail, lastSeq, snapshot: replayed.snapshot })
  }
  for (const row of restored) {
    deps.schedule.wrote(row.detail, now)
    const snapshot = row.snapshot
    const id = row.id as PipelineId
    deps.actors.set(id, { id, snapshot, detail: row.detail, lastSeq: row.lastSeq, idempotencyKey: null })
    deps.followers.addJoined(id, snapshot.context)
    for (const step of snapshot.context.steps) {
      for (const unit of step.units) {
        if ((unit.status === 'dispatched' || unit.status === 'running') && unit.orderId) {
          const lane = snapshot.context.tasks[step.index]?.lane ?? 'default'
          deps.leases.grant(
            {
              orderId: unit.orderId,
              pipelineId: id,
              step: step.index,
              shard: unit.shard,
              attempt: unit.attempt,
              lane,
              worker: unit.worker,
            },
            now,
          )
        }
      }
    }
  }
}
