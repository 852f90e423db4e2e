import {
  decideReport,
  type DomainEvent,
  FINAL_REPORTS,
  type MonitorTransport,
  type OrderId,
  parseOrderId,
  type Store,
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
  store: Store
  /** Counts a message refused by cluster, token or worker (for /metrics). */
  countRefused: (kind: ReportRefusal['kind']) => void
  transport: MonitorTransport
  producers: OutputProducers
  /** The store's readability checks, remembering outputs that passed. */
  readable: ReadableBlobs
  /** Says on the monitor's log why a worker is refused (once per worker). */
  onRefused: (workerId: string, reason: string) => void
}

/** How long the monitor waits for a store that asks the network (IPFS) to find a reported blob, ms. */
const FIND_TIMEOUT_MS = 5_000

/** A `UnitSucceeded` counts only if the store can read its output and refs; else the unit fails, retryable. */
async function checkOutput(readable: ReadableBlobs, event: DomainEvent): Promise<DomainEvent> {
  if (event.type !== 'UnitSucceeded') return event
  const { step, shard, attempt, output, refs } = event.data
  // A report names blobs; only those the store can read count (a rogue worker's made-up CID fails).
  if (await readable.isReported(output, refs, FIND_TIMEOUT_MS)) return event
  return { type: 'UnitFailed', data: { step, shard, attempt, error: 'output not in store', retryable: true } }
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
    if (isFinal) tick.acks.add(message.orderId)
    if (!actor) return // unknown or ended pipeline: acknowledged, nothing to record
    const events = decideReport(actor.snapshot.context, unit, message)
    if (message.logs && message.logs.length > 0) {
      const logs = message.logs
      tick.writes.push(() => deps.taskLogs.append(unit.pipelineId, unit.step, unit.shard, unit.attempt, logs))
    }
    if (!isFinal) deps.leases.renew(message.orderId, now, message.workerId)
    for (const decided of events) {
      const event = await checkOutput(deps.readable, decided)
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
