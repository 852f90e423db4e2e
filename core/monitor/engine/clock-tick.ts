import { decideTimeouts, parseOrderId } from '../../domain/index.ts'
import type { EngineContext } from './context.ts'
import { Tick } from './tick.ts'

/**
 * What the clock decides (SPEC §5, time is data): leases that ran out become
 * `UnitLeaseExpired`, steps past their timeout `StepFailed`; silent workers are forgotten.
 */
export async function applyClock(ctx: EngineContext, tick: Tick): Promise<void> {
  const now = ctx.clock.monotonic()
  ctx.workers.expire(now)
  for (const lease of ctx.leases.expired(now)) {
    const unit = parseOrderId(lease.orderId)
    const actor = ctx.actors.get(unit.pipelineId)
    const current = actor?.snapshot.context.steps[unit.step]?.units.find((u) => u.shard === unit.shard)
    tick.afterCommit.push(() => ctx.leases.release(lease.orderId))
    Tick.bump(tick.releasedOn, lease.lane)
    if (
      !actor ||
      !current ||
      current.attempt !== unit.attempt ||
      (current.status !== 'dispatched' && current.status !== 'running')
    )
      continue
    await ctx.emit(tick, actor.id, {
      type: 'UnitLeaseExpired',
      data: {
        step: unit.step,
        shard: unit.shard,
        attempt: unit.attempt,
        worker: current.worker ?? lease.worker,
      },
    })
  }
  for (const actor of [...ctx.actors.values()]) {
    for (const event of decideTimeouts(actor.snapshot.context, (step) => ctx.times.elapsed(actor.id, step)))
      await ctx.emit(tick, actor.id, event)
  }
}
