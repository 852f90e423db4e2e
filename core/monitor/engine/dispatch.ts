import {
  type Cid,
  type DatasetItem,
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
import type { ReadShardLists } from './shard-lists.ts'
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
  readShardLists: ReadShardLists
  recordEvent: RecordEvent
  identity: ClusterIdentity
  producers: OutputProducers
  locality: boolean
}

/** A unit's own item list (v3 steps) and its items, or the slice of the whole input (steps logged before v3). */
async function shardItems(
  deps: DispatchDeps,
  actor: Actor,
  ready: ReadyUnit,
): Promise<{ itemList: Cid | null; items: DatasetItem[] } | null> {
  const step = actor.snapshot.context.steps[ready.step]!
  const range = ready.unit.items
  if (!range || !step.input) return null
  if (step.shardLists) {
    const itemList = (await deps.readShardLists(step.shardLists)).shards[ready.unit.shard]
    if (!itemList) throw new Error(`shard ${ready.unit.shard} has no item list`)
    return { itemList, items: (await deps.readManifest(itemList)).items }
  }
  return { itemList: null, items: (await deps.readManifest(step.input)).items.slice(range.start, range.end) }
}

/**
 * The memoized results of a shard's items, by absolute item index, whose blobs are still
 * readable: one memo query for the whole shard.
 */
async function knownItems(
  deps: DispatchDeps,
  actor: Actor,
  ready: ReadyUnit,
  items: readonly DatasetItem[],
): Promise<Record<string, ItemResult> | undefined> {
  const state = actor.snapshot.context
  const task = state.tasks[ready.step]!
  const start = ready.unit.items?.start ?? 0
  if (!state.cache || items.length === 0) return undefined
  const keys = items.map((item) => itemMemoKey(task.call, task.version, task.args, item.audio))
  const hits = deps.memo.getItemResults(keys)
  const known: Record<string, ItemResult> = {}
  for (const [offset, key] of keys.entries()) {
    const hit = hits.get(key)
    if (hit && (await areHeld(deps.store, hit.refs))) known[String(start + offset)] = hit.result
  }
  return Object.keys(known).length > 0 ? known : undefined
}

/** Whether every blob is held locally (an item result's files: not documents, so not read). */
async function areHeld(store: Store, cids: readonly Cid[]): Promise<boolean> {
  try {
    for (const cid of cids) if (!(await store.has(cid))) return false
    return true
  } catch {
    return false
  }
}

/** The order of a unit just dispatched, from the machine's state (after `UnitDispatched`). */
function orderOf(
  deps: DispatchDeps,
  actor: Actor,
  ready: ReadyUnit,
  orderId: OrderId,
  known: Record<string, ItemResult> | undefined,
  itemList: Cid | null,
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
    ...(itemList ? { itemList } : {}),
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
  const served = deps.workers.lanes()
  // Once every served lane is full, no later pipeline can dispatch: stop looking (O(live) otherwise).
  const isFull = (): boolean => [...served].every((lane) => exhausted.has(lane))
  if (served.size === 0) return
  for (const actor of [...deps.actors.values()]) {
    if (isFull()) return
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
      let itemList: Cid | null = null
      try {
        const shard = await shardItems(deps, actor, ready)
        itemList = shard?.itemList ?? null
        known = shard ? await knownItems(deps, actor, ready, shard.items) : undefined
      } catch {
        known = undefined // the worker reads its items itself and reports a clear error
      }
      Tick.bump(tick.dispatchedOn, lane)
      Tick.bump(tick.dispatchedTo, worker)
      await deps.recordEvent(tick, actor.id, {
        type: 'UnitDispatched',
        data: { step, shard, attempt, orderId, lane, ...(items ? { items } : {}), worker, reason },
      })
      const order = orderOf(deps, actor, ready, orderId, known, itemList)
      tick.afterCommit.push(() => {
        const lease = { orderId, pipelineId: actor.id, step, shard, attempt, lane, worker }
        deps.leases.grant(lease, deps.clock.monotonic())
        deps.transport.sendOrder(worker, order)
      })
    }
  }
}
