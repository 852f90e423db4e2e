import {
  type ArgsOf,
  DATASET_KIND,
  type DatasetManifest,
  type DatasetItem,
  type DatasetSource,
  type TaskContext,
  type ImplementationOf,
  type TaskResult,
} from '../../core/domain/index.ts'
import { writeJson } from '../documents.ts'
import { acquireZip, materializeZip } from './acquire-zip.ts'
import { compareIds, extractArctic } from './extract-arctic.ts'
import { type ExtractedPart, findExtractedPart, saveExtractedPart } from './extracted-part.ts'
import { type FetchFestvoxLimits, type LimitOverrides, resolveLimits } from './limits.ts'
import { BrokenArchiveError } from './zip-reader.ts'
import { removeTemp } from './temp-files.ts'

/** One zip's contribution, before merging. */
interface FetchedSource {
  url: string
  part: ExtractedPart
  source: DatasetSource
  bytes: number
}

/** The URLs to fetch, in order, each once: the same zip twice would only duplicate every item. */
function distinctUrls(args: ArgsOf<'FETCH_FESTVOX'>): string[] {
  return [...new Set(args)]
}

async function fetchSource(
  url: string,
  ctx: TaskContext,
  limits: FetchFestvoxLimits,
): Promise<FetchedSource> {
  const acquired = await acquireZip(url, ctx, limits.download)
  let path = acquired.path
  try {
    let part = await findExtractedPart(ctx.settings.dataDir, ctx.store, acquired.zip, limits.extract)
    if (part !== null) {
      ctx.log.info(`${url}: zip ${acquired.zip} was extracted before, reusing its ${part.items.length} items`)
    } else {
      path ??= await materializeZip(acquired.zip, ctx, limits.download)
      part = await extractZip(url, path, ctx, limits)
      await saveExtractedPart(ctx.settings.dataDir, ctx.store, acquired.zip, limits.extract, part)
    }
    return { url, part, source: { url, cid: acquired.zip, skipped: [...part.skipped] }, bytes: acquired.size }
  } finally {
    if (path !== null) await removeTemp(path)
  }
}

async function extractZip(
  url: string,
  path: string,
  ctx: TaskContext,
  limits: FetchFestvoxLimits,
): Promise<ExtractedPart> {
  try {
    const part = await extractArctic(path, {
      store: ctx.store,
      signal: ctx.signal,
      log: ctx.log,
      limits: limits.extract,
      onEntry: (done, total) => ctx.progress(done, total, 'files'),
    })
    ctx.log.info(`${url}: ${part.items.length} items, ${part.skipped.length} entries skipped`)
    return part
  } catch (error) {
    if (error instanceof BrokenArchiveError) throw new Error(`${url}: ${error.message}`)
    throw error
  }
}

/** Merges parts in argument order: an item id seen in an earlier zip is skipped in a later one, with the reason. */
function mergeSources(fetched: FetchedSource[]): DatasetManifest {
  const items = new Map<string, DatasetItem>()
  const origin = new Map<string, string>()
  for (const { url, part, source } of fetched) {
    for (const { entry, item } of part.items) {
      const first = origin.get(item.id)
      if (first !== undefined) {
        source.skipped.push({ entry, reason: `duplicate item ${item.id}, already taken from ${first}` })
        continue
      }
      origin.set(item.id, url)
      items.set(item.id, item)
    }
  }
  const sorted = [...items.values()].sort((a, b) => compareIds(a.id, b.id))
  // Typed, not re-parsed: every item and source was built or parsed already, and a zod pass
  // over 20k items would hold the event loop (and the worker's heartbeats) for a good while.
  const manifest: DatasetManifest = {
    kind: DATASET_KIND,
    sources: fetched.map((f) => f.source),
    items: sorted,
  }
  return manifest
}

/** Builds FETCH_FESTVOX with some limits changed (tests use small ones). */
export function createFetchFestvox(overrides: LimitOverrides = {}): ImplementationOf<'FETCH_FESTVOX'> {
  const limits = resolveLimits(overrides)
  return {
    kind: 'whole',
    async run(_input, args, ctx): Promise<TaskResult> {
      const fetched: FetchedSource[] = []
      for (const url of distinctUrls(args)) {
        ctx.signal.throwIfAborted()
        fetched.push(await fetchSource(url, ctx, limits))
      }
      const manifest = mergeSources(fetched)
      const output = await writeJson(ctx.store, manifest)
      const skipped = manifest.sources.reduce((sum, s) => sum + s.skipped.length, 0)
      const bytes = fetched.reduce((sum, f) => sum + f.bytes, 0)
      return { output, refs: [], stats: { items: manifest.items.length, skipped, bytes } }
    },
  }
}

/** FETCH_FESTVOX(url, ...urls) with the default limits (SPEC §3). */
export const fetchFestvox: ImplementationOf<'FETCH_FESTVOX'> = createFetchFestvox()
