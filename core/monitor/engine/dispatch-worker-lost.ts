import type { MonitorTransport } from '../../domain/index.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { WorkerRegistry } from '../worker-registry.ts'
import type { Actors } from './actor.ts'
import { findLeasedUnit } from './leased-unit.ts'
import type { RecordEvent } from './record-event.ts'
import { Tick } from './tick.ts'

/** What noticing a lost worker uses. */
export interface WorkerLostDeps {
  actors: Actors
  leases: LeaseTable
  workers: WorkerRegistry
  transport: MonitorTransport
  recordEvent: RecordEvent
}

/**
 * A worker is gone (SPEC §6): its connection dropped (`disconnected`) or it missed two heartbeats
 * (`silent`). It is forgotten and unlinked, and each unit it held in flight gets `UnitWorkerLost`,
 * which re-queues it at once (no backoff, no lease expiry to wait for). Leases of attempts no longer
 * current are only released; a lease held for a success report's check stays.
 */
export async function loseWorker(
  deps: WorkerLostDeps,
  tick: Tick,
  worker: string,
  cause: 'disconnected' | 'silent',
): Promise<void> {
  deps.workers.remove(worker)
  deps.transport.dropWorker(worker)
  for (const lease of deps.leases.heldBy(worker)) {
    // A unit whose success report is being checked is decided by that report, not lost.
    if (lease.held === true) continue
    tick.afterCommit.push(() => deps.leases.release(lease.orderId))
    Tick.bump(tick.releasedOn, lease.lane)
    const leased = findLeasedUnit(deps.actors, lease.orderId)
    if (!leased) continue
    const { actor, unit } = leased
    await deps.recordEvent(tick, actor.id, {
      type: 'UnitWorkerLost',
      data: { step: unit.step, shard: unit.shard, attempt: unit.attempt, worker, cause },
    })
  }
}
