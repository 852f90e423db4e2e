import { BanzaiError, type BlobStat, Cid, readDocumentRefs, type Store } from '../domain/index.ts'
import { EventLog } from './event-log.ts'
import { GcRootsTable } from './gc-roots-table.ts'
import { MemoTable } from './memo-table.ts'
import { PipelineTable } from './pipeline-table.ts'
import type { Db } from './sqlite/open-database.ts'

/**
 * Adds to `cids` what each of them references by construction (SPEC §4): the roots are
 * documents (inputs, outputs, shard lists) and `refs`; a manifest names its items' blobs, a
 * model its files, shard lists their item lists (whose items the step's input names already).
 * One read per root, so linear in the blobs; `done` skips CIDs already walked.
 */
export async function addDocumentRefs(
  store: Store,
  cids: Set<string>,
  done = new Set<string>(),
): Promise<void> {
  for (const cid of [...cids]) {
    if (done.has(cid)) continue
    done.add(cid)
    const parsed = Cid.safeParse(cid)
    if (!parsed.success || !(await store.has(parsed.data))) continue
    for (const ref of await readDocumentRefs(store, parsed.data)) cids.add(ref)
  }
}

/** Blobs whose size and pin the store is asked about at once. */
const STATS_AT_ONCE = 32

/**
 * The size and pin of each blob, in order (null: not held), asked STATS_AT_ONCE at a time: one
 * blob's few file-system calls would otherwise wait in line behind the previous blob's.
 */
export async function statEach(store: Store, cids: readonly Cid[]): Promise<(BlobStat | null)[]> {
  const stats: (BlobStat | null)[] = []
  for (let i = 0; i < cids.length; i += STATS_AT_ONCE)
    stats.push(...(await Promise.all(cids.slice(i, i + STATS_AT_ONCE).map((cid) => store.stat(cid)))))
  return stats
}

/** The marked set of an offline collection: the GC roots and memo tables, with what their documents reference. */
export async function markFromRoots(db: Db, store: Store): Promise<Set<string>> {
  const roots = new GcRootsTable(db)
  roots.backfill(new EventLog(db))
  const marked = roots.all()
  for (const cid of new MemoTable(db).allReferencedCids()) marked.add(cid)
  await addDocumentRefs(store, marked)
  return marked
}

/** What a garbage collection did. */
export interface GcReport {
  referenced: number
  kept: number
  removed: number
  removedBytes: number
  keptBytes: number
}

/**
 * Every CID the recorded pipelines reference: the documents the log names (step inputs, unit
 * and step outputs, shard lists) with what each references by construction (read from it,
 * SPEC §4), and the events' extra `refs`. One read per document: linear in the blobs. A
 * reference for tests: GC itself marks from the roots table (`markFromRoots`).
 */
export async function referencedCids(log: EventLog, store: Store): Promise<Set<string>> {
  const out = new Set<string>()
  const documents = new Set<Cid>()
  const addDocument = (cid: Cid | null | undefined) => {
    if (cid) documents.add(cid)
  }
  for (const e of log.readAll()) {
    if (e.type === 'StepStarted') {
      addDocument(e.data.input)
      addDocument(e.data.shardLists)
    } else if (e.type === 'StepCacheHit' || e.type === 'StepSucceeded' || e.type === 'UnitSucceeded') {
      addDocument(e.data.output)
      for (const ref of e.data.refs) out.add(ref)
    } else if (e.type === 'PipelineSucceeded') addDocument(e.data.output)
  }
  // Shard lists name shard manifests, whose items are the step input's: one level is enough.
  for (const cid of documents) {
    out.add(cid)
    if (await store.has(cid)) for (const ref of await readDocumentRefs(store, cid)) out.add(ref)
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
  const referenced = await markFromRoots(db, store)
  const candidates: { cid: Cid; size: number }[] = []
  let total = 0
  let keptBytes = 0
  let kept = 0
  const listed: Cid[] = []
  for await (const cid of store.list()) listed.push(cid)
  const stats = await statEach(store, listed)
  for (const [index, cid] of listed.entries()) {
    const stat = stats[index]
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
