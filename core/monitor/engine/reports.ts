import {
  decideReport,
  type DomainEvent,
  FINAL_REPORTS,
  type OrderId,
  parseOrderId,
  type WorkerMessage,
} from '../../domain/index.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { TaskLogTable } from '../task-log-table.ts'
import type { WorkerRegistry } from '../worker-registry.ts'
import { isoNow } from './clock.ts'
import type { RecordEvent } from './record-event.ts'
import { type ItemResultsDeps, recordItemResults } from './step-complete.ts'
import { Tick } from './tick.ts'

/** What handling worker messages uses. */
export interface ReportDeps extends ItemResultsDeps {
  leases: LeaseTable
  workers: WorkerRegistry
  taskLogs: TaskLogTable
  /** Progress events logged per unit per second, at most. */
  progressPerSecond: number
  recordEvent: RecordEvent
}

/** Handles worker messages: heartbeats renew leases; reports become events (SPEC §5 rules). */
export function createReportHandler(deps: ReportDeps): (tick: Tick, message: WorkerMessage) => Promise<void> {
  const lastProgress = new Map<OrderId, number>()
  const progressGapMs = 1000 / deps.progressPerSecond

  function shouldLogProgress(orderId: OrderId, event: DomainEvent): boolean {
    if (event.type !== 'UnitProgressed') return true
    const now = deps.clock.monotonic()
    const last = lastProgress.get(orderId)
    if (last !== undefined && now - last < progressGapMs && event.data.done < event.data.total) return false
    lastProgress.set(orderId, now)
    return true
  }

  return async (tick, message) => {
    const now = deps.clock.monotonic()
    if (message.type === 'Heartbeat') {
      deps.workers.beat(message, now, isoNow(deps.clock))
      for (const orderId of message.inFlight) deps.leases.renew(orderId, now, message.workerId)
      return
    }
    const isFinal = FINAL_REPORTS.has(message.type)
    if (isFinal) tick.acks.add(message.orderId)
    const unit = parseOrderId(message.orderId)
    const actor = deps.actors.get(unit.pipelineId)
    if (!actor) return // unknown or ended pipeline: acknowledged, nothing to record
    const events = decideReport(actor.snapshot.context, unit, message)
    if (message.logs && message.logs.length > 0) {
      const logs = message.logs
      tick.writes.push(() => deps.taskLogs.append(unit.pipelineId, unit.step, unit.shard, unit.attempt, logs))
    }
    if (!isFinal) deps.leases.renew(message.orderId, now, message.workerId)
    for (const event of events) {
      if (!shouldLogProgress(message.orderId, event)) continue
      if (event.type === 'UnitSucceeded' || event.type === 'UnitFailed') {
        const lane = actor.snapshot.context.tasks[unit.step]?.lane ?? 'default'
        const orderId = message.orderId
        if (deps.leases.has(orderId)) Tick.bump(tick.releasedOn, lane)
        tick.afterCommit.push(() => {
          deps.leases.release(orderId)
          lastProgress.delete(orderId)
        })
        if (event.type === 'UnitSucceeded') {
          try {
            await recordItemResults(deps, tick, unit.pipelineId, unit.step, event.data.output)
          } catch {
            // A shard manifest that cannot be read is caught again when the step merges; no memo then.
          }
        }
      }
      await deps.recordEvent(tick, unit.pipelineId, event)
    }
  }
}
