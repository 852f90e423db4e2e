import { persistPipeline, type PipelineId, type RetryPolicy, restorePipeline } from '../../domain/index.ts'
import type { EventLog } from '../event-log.ts'
import { replayPipeline } from '../replay.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { PipelineTable } from '../pipeline-table.ts'
import type { Actors } from './actor.ts'
import type { Clock } from './clock.ts'
import type { FollowerIndex } from './follower-index.ts'

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
  /** Says that a damaged snapshot row was rebuilt from the pipeline's events. */
  warn: (message: string) => void
}

/**
 * Loads the live pipelines from their snapshots (no history is replayed, nothing is re-sent)
 * and gives their in-flight units a fresh lease, which their workers' heartbeats then renew.
 */
export function restoreLive(deps: RestoreDeps): void {
  const now = deps.clock.monotonic()
  const { rows, damaged } = deps.pipelines.loadLiveOrDamaged()
  const restored = rows.map((row) => ({
    id: row.id,
    detail: row.detail,
    lastSeq: row.lastSeq,
    snapshot: restorePipeline(row.machine),
  }))
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
