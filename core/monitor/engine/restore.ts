import { type PipelineId, restorePipeline } from '../../domain/index.ts'
import type { EngineContext } from './context.ts'

/**
 * Loads the live pipelines from their snapshots (no history is replayed, nothing is re-sent)
 * and gives their in-flight units a fresh lease, which their workers' heartbeats then renew.
 */
export function restoreLive(ctx: EngineContext): void {
  const now = ctx.clock.monotonic()
  for (const row of ctx.pipelines.loadLive()) {
    const snapshot = restorePipeline(row.machine)
    const id = row.id as PipelineId
    ctx.actors.set(id, { id, snapshot, detail: row.detail, lastSeq: row.lastSeq, idempotencyKey: null })
    for (const step of snapshot.context.steps) {
      for (const unit of step.units) {
        if ((unit.status === 'dispatched' || unit.status === 'running') && unit.orderId) {
          const lane = snapshot.context.tasks[step.index]?.lane ?? 'default'
          ctx.leases.grant(
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
