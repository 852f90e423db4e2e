import { type PipelineId, restorePipeline } from '../../domain/index.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { PipelineTable } from '../pipeline-table.ts'
import type { Actors } from './actor.ts'
import type { Clock } from './clock.ts'

/** What restoring the live pipelines uses. */
export interface RestoreDeps {
  actors: Actors
  pipelines: PipelineTable
  leases: LeaseTable
  clock: Clock
}

/**
 * Loads the live pipelines from their snapshots (no history is replayed, nothing is re-sent)
 * and gives their in-flight units a fresh lease, which their workers' heartbeats then renew.
 */
export function restoreLive(deps: RestoreDeps): void {
  const now = deps.clock.monotonic()
  for (const row of deps.pipelines.loadLive()) {
    const snapshot = restorePipeline(row.machine)
    const id = row.id as PipelineId
    deps.actors.set(id, { id, snapshot, detail: row.detail, lastSeq: row.lastSeq, idempotencyKey: null })
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
