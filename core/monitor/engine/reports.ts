import {
  decideReport,
  type DomainEvent,
  FINAL_REPORTS,
  type OrderId,
  parseOrderId,
  type WorkerMessage,
} from '../../domain/index.ts'
import type { EngineContext } from './context.ts'
import { recordItemResults } from './step-complete.ts'
import { Tick } from './tick.ts'

/** Handles worker messages: heartbeats renew leases; reports become events (SPEC §5 rules). */
export function createReportHandler(
  ctx: EngineContext,
): (tick: Tick, message: WorkerMessage) => Promise<void> {
  const lastProgress = new Map<OrderId, number>()
  const progressGapMs = 1000 / ctx.settings.progressPerSecond

  function shouldLogProgress(orderId: OrderId, event: DomainEvent): boolean {
    if (event.type !== 'UnitProgressed') return true
    const now = ctx.clock.monotonic()
    const last = lastProgress.get(orderId)
    if (last !== undefined && now - last < progressGapMs && event.data.done < event.data.total) return false
    lastProgress.set(orderId, now)
    return true
  }

  return async (tick, message) => {
    const now = ctx.clock.monotonic()
    if (message.type === 'Heartbeat') {
      ctx.workers.beat(message, now, ctx.nowIso())
      for (const orderId of message.inFlight) ctx.leases.renew(orderId, now, message.workerId)
      return
    }
    const isFinal = FINAL_REPORTS.has(message.type)
    if (isFinal) tick.acks.add(message.orderId)
    const unit = parseOrderId(message.orderId)
    const actor = ctx.actors.get(unit.pipelineId)
    if (!actor) return // unknown or ended pipeline: acknowledged, nothing to record
    const events = decideReport(actor.snapshot.context, unit, message)
    if (message.logs && message.logs.length > 0) {
      const logs = message.logs
      tick.writes.push(() => ctx.taskLogs.append(unit.pipelineId, unit.step, unit.shard, unit.attempt, logs))
    }
    if (!isFinal) ctx.leases.renew(message.orderId, now, message.workerId)
    for (const event of events) {
      if (!shouldLogProgress(message.orderId, event)) continue
      if (event.type === 'UnitSucceeded' || event.type === 'UnitFailed') {
        const lane = actor.snapshot.context.tasks[unit.step]?.lane ?? 'default'
        const orderId = message.orderId
        if (ctx.leases.has(orderId)) Tick.bump(tick.releasedOn, lane)
        tick.afterCommit.push(() => {
          ctx.leases.release(orderId)
          lastProgress.delete(orderId)
        })
        if (event.type === 'UnitSucceeded') {
          try {
            await recordItemResults(ctx, tick, unit.pipelineId, unit.step, event.data.output)
          } catch {
            // A shard manifest that cannot be read is caught again when the step merges; no memo then.
          }
        }
      }
      await ctx.emit(tick, unit.pipelineId, event)
    }
  }
}
