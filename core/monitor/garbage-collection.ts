import { BanzaiError, type Cid, type Store } from '../domain/index.ts'
import { EventLog } from './event-log.ts'
import { GcRootsTable } from './gc-roots-table.ts'
import { MemoTable } from './memo-table.ts'
import { PipelineTable } from './pipeline-table.ts'
import type { Db } from './sqlite/open-database.ts'

/** What a garbage collection did. */
export interface GcReport {
  referenced: number
  kept: number
  removed: number
  removedBytes: number
  keptBytes: number
}

/** Every CID the recorded pipelines reference, read from the whole log (a reference for tests; GC reads the roots table). */
export function referencedCids(log: EventLog): Set<string> {
  const out = new Set<string>()
  const add = (cid: Cid | null | undefined) => {
    if (cid) out.add(cid)
  }
  for (const e of log.readAll()) {
    if (e.type === 'StepStarted') add(e.data.input)
    else if (e.type === 'StepCacheHit' || e.type === 'StepSucceeded' || e.type === 'UnitSucceeded') {
      add(e.data.output)
      e.data.refs.forEach(add)
    } else if (e.type === 'PipelineSucceeded') add(e.data.output)
  }
  return out
}

/**
 * Garbage collection with no monitor running (the caller holds the data folder's lock): removes
 * the blobs that no pipeline not yet deleted and no memo row references; with `maxBytes`, only
 * until the store holds at most that many bytes. Marks from the GC roots and memo tables (never
 * the log) and removes in one pass: linear in blobs. Refuses while pipelines are live, since a
 * worker may still hold blobs of theirs that no event names yet: start the monitor and collect
 * through it (`POST /api/gc`), which waits for those units.
 */
export async function collectGarbage(
  db: Db,
  store: Store,
  options: { maxBytes?: number } = {},
): Promise<GcReport> {
  const live = new PipelineTable(db).loadLive().length
  if (live > 0)
    throw new BanzaiError(
      'conflict',
      `${live} pipeline(s) are still running and no monitor runs: start the monitor (banzai monitor) and run banzai gc again, which collects through it`,
    )
  const roots = new GcRootsTable(db)
  roots.backfill(new EventLog(db))
  const referenced = roots.all()
  for (const cid of new MemoTable(db).allReferencedCids()) referenced.add(cid)
  const candidates: { cid: Cid; size: number }[] = []
  let total = 0
  let keptBytes = 0
  let kept = 0
  for await (const cid of store.list()) {
    const stat = await store.stat(cid)
    const size = stat?.size ?? 0
    total += size
    if (referenced.has(cid) || stat?.pinned) {
      kept++
      keptBytes += size
    } else candidates.push({ cid, size })
  }
  const doomed: Cid[] = []
  let removedBytes = 0
  for (const c of candidates) {
    if (options.maxBytes !== undefined && total - removedBytes <= options.maxBytes) {
      kept++
      keptBytes += c.size
      continue
    }
    doomed.push(c.cid)
    removedBytes += c.size
  }
  if (store.deleteMany) await store.deleteMany(doomed)
  else for (const cid of doomed) await store.delete(cid)
  return { referenced: referenced.size, kept, removed: doomed.length, removedBytes, keptBytes }
}
