import {
  decideReport,
  type DomainEvent,
  FINAL_REPORTS,
  type MonitorTransport,
  type OrderId,
  parseOrderId,
  type WorkerMessage,
} from '../../domain/index.ts'
import type { ClusterIdentity } from '../cluster-identity.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { TaskLogTable } from '../task-log-table.ts'
import type { WorkerRegistry } from '../worker-registry.ts'
import { isoNow } from './clock.ts'
import type { OutputProducers } from './dispatch-choice.ts'
import type { RecordEvent } from './record-event.ts'
import { type ReportRefusal, refuseReport } from './report-acceptance.ts'
import type { OutputChecks } from './output-check.ts'
import type { ReadableBlobs } from './readable-blobs.ts'
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
  identity: ClusterIdentity
  /** Where success reports are checked against the store, outside the tick. */
  checks: OutputChecks
  /** Counts a message refused by cluster, token or worker (for /metrics). */
  countRefused: (kind: ReportRefusal['kind']) => void
  transport: MonitorTransport
  producers: OutputProducers
  /** The store's readability checks, remembering outputs that passed. */
  readable: ReadableBlobs
  /** Says on the monitor's log why a worker is refused (once per worker). */
  onRefused: (workerId: string, reason: string) => void
}

/** A `UnitSucceeded` counts only if the store could read its output and refs (`readable`); else the unit fails, retryable. */
function applyVerdict(event: DomainEvent, readable: boolean): DomainEvent {
  if (event.type !== 'UnitSucceeded' || readable) return event
  const { step, shard, attempt } = event.data
  // A report names blobs; only those the store can read count (a rogue worker's made-up CID fails).
  return { type: 'UnitFailed', data: { step, shard, attempt, error: 'output not in store', retryable: true } }
}

/** Handles a worker message in a tick; `readable` is the verdict of a success report's store check. */
export type ReportHandler = (tick: Tick, message: WorkerMessage, readable?: boolean) => Promise<void>

/**
 * Handles worker messages: heartbeats renew leases; reports become events (SPEC §5 rules). A
 * success report is first checked against the store outside the tick (`OutputChecks`): it is
 * decided, acknowledged and recorded when its verdict comes back, and its lease is held meanwhile.
 */
export function createReportHandler(deps: ReportDeps): ReportHandler {
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

  return async (tick, message, readable) => {
    const now = deps.clock.monotonic()
    if (message.type === 'Heartbeat') {
      if (message.cluster !== deps.identity.cluster) return deps.countRefused('cluster')
      const outcome = deps.workers.beat(message, now, isoNow(deps.clock))
      if (outcome.kind === 'refused') {
        if (outcome.isNew) {
          deps.onRefused(message.workerId, outcome.reason)
          deps.transport.publish({
            type: 'WorkerRefused',
            workerId: message.workerId,
            reason: outcome.reason,
          })
        }
        return
      }
      if (outcome.kind === 'admitted')
        deps.transport.admitWorker(message.workerId, outcome.endpoint, outcome.curveKey)
      // Only leases this worker holds: a heartbeat cannot keep another worker's unit alive.
      for (const orderId of message.inFlight) deps.leases.renewHeld(orderId, now, message.workerId)
      return
    }
    const isFinal = FINAL_REPORTS.has(message.type)
    const unit = parseOrderId(message.orderId)
    // A verdict ends the hold whatever is decided now (the pipeline may have ended meanwhile).
    if (readable !== undefined) tick.afterCommit.push(() => deps.leases.release(message.orderId))
    const actor = deps.actors.get(unit.pipelineId)
    const refusal = refuseReport(deps.identity, actor?.snapshot.context, unit, message)
    if (refusal !== null) {
      deps.countRefused(refusal.kind)
      // Named only for a final report about a unit the pipeline has: progress floods leave no trace.
      const current = actor?.snapshot.context.steps[unit.step]?.units.find((u) => u.shard === unit.shard)
      if (isFinal && actor && current && actor.snapshot.context.status === 'active') {
        const { step, shard, attempt } = unit
        await deps.recordEvent(tick, unit.pipelineId, {
          type: 'UnitReportIgnored',
          data: { step, shard, attempt, reason: refusal.reason },
        })
      }
      return
    }
    if (!actor) {
      if (isFinal) tick.acks.add(message.orderId) // unknown or ended pipeline: nothing to record
      return
    }
    const events = decideReport(actor.snapshot.context, unit, message)
    let verdict = readable
    if (
      message.type === 'OrderSucceeded' &&
      verdict === undefined &&
      events.some((e) => e.type === 'UnitSucceeded')
    ) {
      // Checked before and nothing deleted since (NOOP's `{}`, a repeated shard): decided in this tick.
      if (deps.readable.isKnown(message.output, message.refs)) verdict = true
      else {
        // Decided when the verdict comes back; no lease expiry or lost worker takes the unit meanwhile.
        deps.leases.hold(message.orderId)
        deps.checks.begin(message)
        return
      }
    }
    if (isFinal) tick.acks.add(message.orderId)
    if (message.logs && message.logs.length > 0) {
      const logs = message.logs
      tick.writes.push(() => deps.taskLogs.append(unit.pipelineId, unit.step, unit.shard, unit.attempt, logs))
    }
    if (!isFinal) deps.leases.renew(message.orderId, now, message.workerId)
    for (const decided of events) {
      const event = applyVerdict(decided, verdict === true)
      if (!shouldLogProgress(message.orderId, event)) continue
      if (event.type === 'UnitSucceeded' || event.type === 'UnitFailed') {
        const lane = actor.snapshot.context.tasks[unit.step]?.lane ?? 'default'
        const orderId = message.orderId
        if (deps.leases.has(orderId)) Tick.bump(tick.releasedOn, lane)
        const worker = deps.leases.workerOf(orderId)
        if (worker) Tick.bump(tick.releasedFrom, worker)
        if (event.type === 'UnitSucceeded') deps.producers.remember(event.data.output, message.workerId)
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
