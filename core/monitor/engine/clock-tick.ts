import { decideTimeouts, parseOrderId } from '../../domain/index.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { WorkerRegistry } from '../worker-registry.ts'
import type { Actors } from './actor.ts'
import type { Clock } from './clock.ts'
import type { MonotonicTimes } from './monotonic-times.ts'
import type { RecordEvent } from './record-event.ts'
import { Tick } from './tick.ts'

/** What a clock tick uses. */
export interface ClockTickDeps {
  actors: Actors
  leases: LeaseTable
  workers: WorkerRegistry
  times: MonotonicTimes
  clock: Clock
  recordEvent: RecordEvent
}

/**
 * What the clock decides (SPEC §5, time is data): leases that ran out become
 * `UnitLeaseExpired`, steps past their timeout `StepFailed`; silent workers are forgotten.
 */
export async function applyClock(deps: ClockTickDeps, tick: Tick): Promise<void> {
  const now = deps.clock.monotonic()
  deps.workers.expire(now)
  for (const lease of deps.leases.expired(now)) {
    const unit = parseOrderId(lease.orderId)
    const actor = deps.actors.get(unit.pipelineId)
    const current = actor?.snapshot.context.steps[unit.step]?.units.find((u) => u.shard === unit.shard)
    tick.afterCommit.push(() => deps.leases.release(lease.orderId))
    Tick.bump(tick.releasedOn, lease.lane)
    if (
      !actor ||
      !current ||
      current.attempt !== unit.attempt ||
      (current.status !== 'dispatched' && current.status !== 'running')
    )
      continue
    await deps.recordEvent(tick, actor.id, {
      type: 'UnitLeaseExpired',
      data: {
        step: unit.step,
        shard: unit.shard,
        attempt: unit.attempt,
        worker: current.worker ?? lease.worker,
      },
    })
  }
  for (const actor of [...deps.actors.values()]) {
    for (const event of decideTimeouts(actor.snapshot.context, (step) => deps.times.elapsed(actor.id, step)))
      await deps.recordEvent(tick, actor.id, event)
  }
}
