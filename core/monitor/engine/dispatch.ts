import { type ItemResult, makeOrderId, readyUnits, type ReadyUnit } from '../../domain/index.ts'
import { itemMemoKey } from '../memo-key.ts'
import { isReadable } from './step-start.ts'
import type { Actor, EngineContext } from './context.ts'
import { Tick } from './tick.ts'

/** Free dispatch credit on a lane: live workers' slots minus what is in flight there (SPEC §5). */
function credit(ctx: EngineContext, tick: Tick, lane: string): number {
  const inFlight =
    ctx.leases.inFlightOn(lane) + (tick.dispatchedOn.get(lane) ?? 0) - (tick.releasedOn.get(lane) ?? 0)
  return ctx.workers.capacity(lane) - inFlight
}

/** The memoized results of a shard's items, by absolute item index, whose blobs are still readable. */
async function knownItems(
  ctx: EngineContext,
  actor: Actor,
  ready: ReadyUnit,
): Promise<Record<string, ItemResult> | undefined> {
  const state = actor.snapshot.context
  const step = state.steps[ready.step]!
  const task = state.tasks[ready.step]!
  if (!state.cache || !ready.unit.items || !step.input) return undefined
  const manifest = await ctx.manifest(step.input)
  const known: Record<string, ItemResult> = {}
  for (let i = ready.unit.items.start; i < ready.unit.items.end; i++) {
    const item = manifest.items[i]
    if (!item) continue
    const hit = ctx.memo.getItemResult(itemMemoKey(task.call, task.version, task.args, item.audio))
    if (hit && (hit.refs.length === 0 || (await isReadable(ctx, hit.refs[0]!, hit.refs.slice(1)))))
      known[String(i)] = hit.result
  }
  return Object.keys(known).length > 0 ? known : undefined
}

/**
 * Dispatches queued units while their lanes have credit: oldest pipelines first. A lane with
 * no live worker has no credit, so its units wait as queued and spend no attempt.
 */
export async function dispatchReady(ctx: EngineContext, tick: Tick): Promise<void> {
  const exhausted = new Set<string>()
  for (const actor of [...ctx.actors.values()]) {
    for (const ready of readyUnits(actor.snapshot.context, (step, unit) =>
      ctx.times.isDue(actor.id, step, unit),
    )) {
      if (exhausted.has(ready.lane)) continue
      if (credit(ctx, tick, ready.lane) <= 0) {
        exhausted.add(ready.lane)
        continue
      }
      const orderId = makeOrderId({
        pipelineId: actor.id,
        step: ready.step,
        shard: ready.unit.shard,
        attempt: ready.unit.attempt,
      })
      let known: Record<string, ItemResult> | undefined
      try {
        known = await knownItems(ctx, actor, ready)
      } catch {
        known = undefined // the worker reads the manifest itself and reports a clear error
      }
      tick.orders.set(orderId, { known })
      Tick.bump(tick.dispatchedOn, ready.lane)
      await ctx.emit(tick, actor.id, {
        type: 'UnitDispatched',
        data: {
          step: ready.step,
          shard: ready.unit.shard,
          attempt: ready.unit.attempt,
          orderId,
          lane: ready.lane,
          ...(ready.unit.items ? { items: ready.unit.items } : {}),
        },
      })
    }
  }
}
