import {
  type ItemResult,
  makeOrderId,
  type MonitorTransport,
  type OrderId,
  PROTOCOL_VERSION,
  readyUnits,
  type ReadyUnit,
  type Store,
  type TaskOrder,
} from '../../domain/index.ts'
import type { ClusterIdentity } from '../cluster-identity.ts'
import type { LeaseTable } from '../lease-table.ts'
import { itemMemoKey } from '../memo-key.ts'
import type { MemoTable } from '../memo-table.ts'
import type { WorkerRegistry } from '../worker-registry.ts'
import type { Actor, Actors } from './actor.ts'
import type { Clock } from './clock.ts'
import { chooseWorker, type OutputProducers } from './dispatch-choice.ts'
import type { ReadManifest } from './manifest-cache.ts'
import type { MonotonicTimes } from './monotonic-times.ts'
import type { RecordEvent } from './record-event.ts'
import { isReadable } from './step-start.ts'
import { Tick } from './tick.ts'

/** What dispatch uses: credit (leases, workers), due times, the memo, and the way to send. */
export interface DispatchDeps {
  actors: Actors
  leases: LeaseTable
  workers: WorkerRegistry
  times: MonotonicTimes
  memo: MemoTable
  store: Store
  clock: Clock
  transport: MonitorTransport
  readManifest: ReadManifest
  recordEvent: RecordEvent
  identity: ClusterIdentity
  producers: OutputProducers
  locality: boolean
}

/** The memoized results of a shard's items, by absolute item index, whose blobs are still readable. */
async function knownItems(
  deps: DispatchDeps,
  actor: Actor,
  ready: ReadyUnit,
): Promise<Record<string, ItemResult> | undefined> {
  const state = actor.snapshot.context
  const step = state.steps[ready.step]!
  const task = state.tasks[ready.step]!
  if (!state.cache || !ready.unit.items || !step.input) return undefined
  const manifest = await deps.readManifest(step.input)
  const known: Record<string, ItemResult> = {}
  for (let i = ready.unit.items.start; i < ready.unit.items.end; i++) {
    const item = manifest.items[i]
    if (!item) continue
    const hit = deps.memo.getItemResult(itemMemoKey(task.call, task.version, task.args, item.audio))
    if (hit && (hit.refs.length === 0 || (await isReadable(deps.store, hit.refs[0]!, hit.refs.slice(1)))))
      known[String(i)] = hit.result
  }
  return Object.keys(known).length > 0 ? known : undefined
}

/** The order of a unit just dispatched, from the machine's state (after `UnitDispatched`). */
function orderOf(
  deps: DispatchDeps,
  actor: Actor,
  ready: ReadyUnit,
  orderId: OrderId,
  known: Record<string, ItemResult> | undefined,
): TaskOrder {
  const state = actor.snapshot.context
  const task = state.tasks[ready.step]!
  const step = state.steps[ready.step]!
  const unit = step.units.find((u) => u.shard === ready.unit.shard)!
  const startedAt = step.startedAt ? Date.parse(step.startedAt) : deps.clock.wall()
  // Built typed from the machine's state: parsed where it arrives (the worker), not here.
  const order: TaskOrder = {
    type: 'TaskOrder',
    v: PROTOCOL_VERSION,
    cluster: deps.identity.cluster,
    orderId,
    token: deps.identity.tokenFor(orderId),
    pipelineId: state.id,
    step: ready.step,
    shard: unit.shard,
    attempt: unit.attempt,
    call: task.call,
    version: task.version,
    args: task.args,
    input: step.input,
    ...(unit.items ? { items: unit.items } : {}),
    ...(known ? { known } : {}),
    deadline: new Date(startedAt + task.timeoutMs).toISOString(),
  }
  return order
}

/**
 * Dispatches queued units to workers with free slots on their lanes (SPEC §6, addressed):
 * oldest pipelines first. Each unit's `UnitDispatched` names the chosen worker and why; its
 * order is sent to that worker alone (with its lease) after the commit. A lane with no free
 * worker slot gets nothing more this tick: its units wait as queued and spend no attempt.
 */
export async function dispatchReady(deps: DispatchDeps, tick: Tick): Promise<void> {
  const exhausted = new Set<string>()
  for (const actor of [...deps.actors.values()]) {
    for (const ready of readyUnits(actor.snapshot.context, (step, unit) =>
      deps.times.isDue(actor.id, step, unit),
    )) {
      if (exhausted.has(ready.lane)) continue
      const input = actor.snapshot.context.steps[ready.step]?.input ?? null
      const choice = chooseWorker(deps, tick, ready.lane, input)
      if (!choice) {
        exhausted.add(ready.lane)
        continue
      }
      const { worker, reason } = choice
      const { step, lane } = ready
      const { shard, attempt, items } = ready.unit
      const orderId = makeOrderId({ pipelineId: actor.id, step, shard, attempt })
      let known: Record<string, ItemResult> | undefined
      try {
        known = await knownItems(deps, actor, ready)
      } catch {
        known = undefined // the worker reads the manifest itself and reports a clear error
      }
      Tick.bump(tick.dispatchedOn, lane)
      Tick.bump(tick.dispatchedTo, worker)
      await deps.recordEvent(tick, actor.id, {
        type: 'UnitDispatched',
        data: { step, shard, attempt, orderId, lane, ...(items ? { items } : {}), worker, reason },
      })
      const order = orderOf(deps, actor, ready, orderId, known)
      tick.afterCommit.push(() => {
        const lease = { orderId, pipelineId: actor.id, step, shard, attempt, lane, worker }
        deps.leases.grant(lease, deps.clock.monotonic())
        deps.transport.sendOrder(worker, order)
      })
    }
  }
}
