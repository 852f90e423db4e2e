import { type Cid, readDocumentRefs, type Store } from '../domain/index.ts'
import type { EventLog } from './event-log.ts'
import type { PipelineTable } from './pipeline-table.ts'

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
 * SPEC §4), and the events' extra `refs`. One read per document: linear in the blobs.
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
 * Removes blobs no recorded pipeline references; with `maxBytes`, only until the store holds
 * at most that many bytes. A referenced blob is never removed. Refuses while pipelines run,
 * since their units may have stored blobs that no event names yet.
 */
export async function collectGarbage(
  log: EventLog,
  pipelines: PipelineTable,
  store: Store,
  options: { maxBytes?: number } = {},
): Promise<GcReport> {
  const live = pipelines.loadLive().length
  if (live > 0)
    throw new Error(
      `${live} pipeline(s) are still running; run gc when none is (their blobs are not all named in the log yet)`,
    )
  const referenced = await referencedCids(log, store)
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
  let removed = 0
  let removedBytes = 0
  for (const c of candidates) {
    if (options.maxBytes !== undefined && total - removedBytes <= options.maxBytes) {
      kept++
      keptBytes += c.size
      continue
    }
    await store.delete(c.cid)
    removed++
    removedBytes += c.size
  }
  return { referenced: referenced.size, kept, removed, removedBytes, keptBytes }
}
