import {
  Cid,
  type DatasetItem,
  type DatasetManifest,
  type ItemOutcome,
  type TaskContext,
  type TaskDeclaration,
  type TaskResult,
} from '../../core/domain/index.ts'
import { manifestRefs, readManifest, writeJson } from '../documents.ts'

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
 * Runs a perItem task over the order's slice of its input manifest: reuses `order.known`
 * results, runs the rest one by one, and writes the shard manifest `{kind, sources: [], items}`.
 */
export async function runPerItem(
  runItem: RunItem,
  decl: TaskDeclaration,
  ctx: TaskContext,
): Promise<TaskResult> {
  const { order } = ctx
  const manifest = await readManifest(ctx.store, order.input)
  const start = order.items?.start ?? 0
  const end = Math.min(order.items?.end ?? manifest.items.length, manifest.items.length)
  const slice = manifest.items.slice(start, end)
  const extraRefs = new Set<Cid>()
  const items: DatasetItem[] = []
  let computed = 0
  let reused = 0
  ctx.progress(0, slice.length, 'items')
  for (const [offset, item] of slice.entries()) {
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
  const shard: DatasetManifest = { kind: manifest.kind, sources: [], items }
  const output = await writeJson(ctx.store, shard)
  const refs = new Set<Cid>(manifestRefs(shard))
  for (const ref of extraRefs) refs.add(ref)
  return { output, refs: [...refs], stats: { items: slice.length, computed, reused } }
}
