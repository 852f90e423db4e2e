import {
  type Catalogue,
  type Cid,
  DATASET_KIND,
  type DatasetManifest,
  type ItemResult,
  type PipelineId,
  manifestRefs,
  MAX_REFS,
  type Store,
} from '../../domain/index.ts'
import { itemMemoKey } from '../memo-key.ts'
import type { MemoTable } from '../memo-table.ts'
import type { Actor, Actors } from './actor.ts'
import type { Clock } from './clock.ts'
import type { ReadManifest } from './manifest-cache.ts'
import { writeManifestInSlices } from './manifest-slices.ts'
import type { RecordEvent } from './record-event.ts'
import type { Tick } from './tick.ts'

/** What completing a step uses. */
export interface StepCompleteDeps {
  catalogue: Catalogue
  store: Store
  memo: MemoTable
  clock: Clock
  readManifest: ReadManifest
  recordEvent: RecordEvent
}

/** What recording a shard's per-item results uses. */
export interface ItemResultsDeps {
  catalogue: Catalogue
  memo: MemoTable
  actors: Actors
  clock: Clock
  readManifest: ReadManifest
}

/**
 * Merges the shard manifests of a perItem step, in item order, under the input's sources: each
 * shard read once, so linear in the items. Its `refs` are the shards' refs the merged manifest
 * does not reference itself (at most MAX_REFS).
 */
async function mergeShards(
  deps: StepCompleteDeps,
  actor: Actor,
  step: number,
): Promise<{ output: Cid; refs: Cid[] }> {
  const state = actor.snapshot.context.steps[step]!
  const input = await deps.readManifest(state.input!)
  const items: DatasetManifest['items'] = []
  for (const unit of [...state.units].sort((a, b) => a.shard - b.shard)) {
    const shard = await deps.readManifest(unit.output!)
    items.push(...shard.items)
  }
  if (state.itemCount !== null && items.length !== state.itemCount) {
    throw new Error(`shards returned ${items.length} items, the input has ${state.itemCount}`)
  }
  const merged: DatasetManifest = { kind: DATASET_KIND, sources: input.sources, items }
  const output = await writeManifestInSlices(deps.store, merged)
  const refs = new Set<Cid>()
  for (const unit of state.units) for (const ref of unit.refs) refs.add(ref)
  if (refs.size > 0) for (const ref of manifestRefs(merged)) refs.delete(ref)
  if (refs.size > MAX_REFS)
    throw new Error(`the shards list ${refs.size} refs outside their manifests (at most ${MAX_REFS})`)
  return { output, refs: [...refs] }
}

/** Ends a step whose units all succeeded: merges shards, records the memo, logs `StepSucceeded`. */
export async function completeStep(
  deps: StepCompleteDeps,
  tick: Tick,
  actor: Actor,
  step: number,
): Promise<void> {
  const state = actor.snapshot.context
  const stepState = state.steps[step]!
  const task = state.tasks[step]!
  const decl = deps.catalogue.get(task.call)
  let result: { output: Cid; refs: Cid[] }
  try {
    if (decl?.perItem) result = await mergeShards(deps, actor, step)
    else {
      const unit = stepState.units[0]!
      result = { output: unit.output!, refs: unit.refs }
    }
  } catch (error) {
    await deps.recordEvent(tick, actor.id, {
      type: 'StepFailed',
      data: { step, error: `cannot merge the shards: ${(error as Error).message}` },
    })
    return
  }
  const at = tick.at(deps.clock)
  if (stepState.memoKey) {
    const parts = {
      call: task.call,
      version: task.version,
      args: task.args,
      input: stepState.input,
      ...(stepState.inputs ? { inputs: stepState.inputs } : {}),
    }
    // The key logged in StepStarted is the one recorded.
    const key = stepState.memoKey
    tick.writes.push(() =>
      deps.memo.put({ key, parts, output: result.output, refs: result.refs, pipelineId: actor.id, step, at }),
    )
  }
  await deps.recordEvent(tick, actor.id, {
    type: 'StepSucceeded',
    data: { step, output: result.output, refs: result.refs },
  })
}

/** Records the per-item results of one succeeded shard, so later orders list them as `known`. */
export async function recordItemResults(
  deps: ItemResultsDeps,
  tick: Tick,
  pipelineId: PipelineId,
  step: number,
  output: Cid,
): Promise<void> {
  const actor = deps.actors.get(pipelineId)
  const task = actor?.snapshot.context.tasks[step]
  const fields = task ? deps.catalogue.get(task.call)?.itemFields : undefined
  if (!task || !fields) return
  const shard = await deps.readManifest(output)
  const at = tick.at(deps.clock)
  for (const item of shard.items) {
    const record = item as Record<string, unknown>
    const result: ItemResult = {}
    for (const field of fields.fields) if (record[field] !== undefined) result[field] = record[field]
    if (Object.keys(result).length !== fields.fields.length) continue
    const refs = fields.refs.map((f) => record[f]).filter((v): v is Cid => typeof v === 'string')
    const key = itemMemoKey(task.call, task.version, task.args, item.audio)
    tick.writes.push(() => deps.memo.putItemResult(key, task.call, { result, refs }, at))
  }
}
