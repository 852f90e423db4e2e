import {
  Cid,
  DATASET_KIND,
  type DatasetItem,
  type DatasetManifest,
  type ItemOutcome,
  type TaskContext,
  type TaskDeclaration,
  type TaskResult,
} from '../../core/domain/index.ts'
import { manifestRefs, readManifest, writeJson } from '../documents.ts'
import { createYieldPoint } from '../yield-point.ts'

type RunItem = (item: DatasetItem, ctx: TaskContext) => Promise<ItemOutcome>

/** The CIDs among known (memoized) fields, by the declaration's `itemFields.refs`. */
function knownRefs(fields: Record<string, unknown>, decl: TaskDeclaration): Cid[] {
  const names = decl.itemFields?.refs ?? []
  return names.flatMap((name) => {
    const parsed = Cid.safeParse(fields[name])
    return parsed.success ? [parsed.data] : []
  })
}

/**
 * The order's items: its own item list when the monitor wrote one (SPEC §10: never the whole
 * manifest), else its range of the input manifest (orders of steps started before v3).
 */
async function orderItems(ctx: TaskContext): Promise<{ start: number; items: DatasetItem[] }> {
  const { order } = ctx
  const start = order.items?.start ?? 0
  if (order.itemList) return { start, items: (await readManifest(ctx.store, order.itemList)).items }
  const manifest = await readManifest(ctx.store, order.input)
  const end = Math.min(order.items?.end ?? manifest.items.length, manifest.items.length)
  return { start, items: manifest.items.slice(start, end) }
}

/**
 * Runs a perItem task over the order's items: reuses `order.known` results, runs the rest one
 * by one, and writes the shard manifest `{kind, sources: [], items}`. Its `refs` are only the
 * CIDs the shard manifest does not reference itself.
 */
export async function runPerItem(
  runItem: RunItem,
  decl: TaskDeclaration,
  ctx: TaskContext,
): Promise<TaskResult> {
  const { order } = ctx
  const { start, items: slice } = await orderItems(ctx)
  const extraRefs = new Set<Cid>()
  const items: DatasetItem[] = []
  let computed = 0
  let reused = 0
  ctx.progress(0, slice.length, 'items')
  // Items whose reads and writes complete at once would chain on microtasks only: the heartbeat
  // timer gets a turn every YIELD_BUDGET_MS of work however fast each item is.
  const yieldPoint = createYieldPoint()
  for (const [offset, item] of slice.entries()) {
    await yieldPoint()
    ctx.signal.throwIfAborted()
    const known = order.known?.[String(start + offset)]
    if (known) {
      for (const ref of knownRefs(known, decl)) extraRefs.add(ref)
      items.push({ ...item, ...known })
      reused++
    } else {
      const outcome = await runItem(item, ctx)
      for (const ref of outcome.refs) extraRefs.add(ref)
      items.push({ ...item, ...outcome.fields })
      computed++
    }
    ctx.progress(offset + 1, slice.length, 'items')
  }
  const shard: DatasetManifest = { kind: DATASET_KIND, sources: [], items }
  const output = await writeJson(ctx.store, shard)
  for (const ref of manifestRefs(shard)) extraRefs.delete(ref)
  return { output, refs: [...extraRefs], stats: { items: slice.length, computed, reused } }
}
