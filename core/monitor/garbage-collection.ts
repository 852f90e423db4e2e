import type { Cid, Store } from '../domain/index.ts'
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

/** Every CID the recorded pipelines reference: inputs, unit and step outputs, and their refs. */
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
  const referenced = referencedCids(log)
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
