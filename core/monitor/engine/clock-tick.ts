import { decideTimeouts } from '../../domain/index.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { WorkerRegistry } from '../worker-registry.ts'
import type { Actors } from './actor.ts'
import type { Clock } from './clock.ts'
import { loseWorker, type WorkerLostDeps } from './dispatch-worker-lost.ts'
import { findLeasedUnit } from './leased-unit.ts'
import type { MonotonicTimes } from './monotonic-times.ts'
import type { RecordEvent } from './record-event.ts'
import { Tick } from './tick.ts'

/** What a clock tick uses. */
export interface ClockTickDeps extends WorkerLostDeps {
  actors: Actors
  leases: LeaseTable
  workers: WorkerRegistry
  times: MonotonicTimes
  clock: Clock
  recordEvent: RecordEvent
}

/**
 * What the clock decides (SPEC §5, time is data): leases that ran out become
 * `UnitLeaseExpired`, steps past their timeout `StepFailed`; workers that missed two heartbeats
 * are lost (`UnitWorkerLost`, cause `silent`).
 */
export async function applyClock(deps: ClockTickDeps, tick: Tick): Promise<void> {
  const now = deps.clock.monotonic()
  for (const worker of deps.workers.expire(now)) await loseWorker(deps, tick, worker, 'silent')
  for (const lease of deps.leases.expired(now)) {
    tick.afterCommit.push(() => deps.leases.release(lease.orderId))
    Tick.bump(tick.releasedOn, lease.lane)
    if (lease.worker) Tick.bump(tick.releasedFrom, lease.worker)
    const leased = findLeasedUnit(deps.actors, lease.orderId)
    if (!leased) continue
    const { actor, unit } = leased
    await deps.recordEvent(tick, actor.id, {
      type: 'UnitLeaseExpired',
      data: {
        step: unit.step,
        shard: unit.shard,
        attempt: unit.attempt,
        worker: leased.worker ?? lease.worker,
      },
    })
  }
  for (const actor of [...deps.actors.values()]) {
    for (const event of decideTimeouts(actor.snapshot.context, (step) => deps.times.elapsed(actor.id, step)))
      await deps.recordEvent(tick, actor.id, event)
  }
}
