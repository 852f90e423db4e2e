import {
  type ArgsOf,
  type Cid,
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
import {
  type ExtractedPart,
  findExtractedPart,
  recordExtractedParts,
  storeExtractedPart,
} from './extracted-part.ts'
import { type FetchFestvoxLimits, type LimitOverrides, resolveLimits } from './limits.ts'
import { BrokenArchiveError } from './zip-reader.ts'
import { removeTemp } from './temp-files.ts'
import { saveUrlRecords, type UrlRecord } from './validator-cache.ts'

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

/**
 * What FETCH remembers for later runs (URL records, extracted parts). Each names blobs that
 * must be durable first, so all are written after one flush of the store at the end of the
 * task, not one flush per zip: the task waits for the disk once.
 */
interface Remembered {
  urls: Map<string, UrlRecord>
  parts: Map<Cid, Cid>
}

async function fetchSource(
  url: string,
  ctx: TaskContext,
  limits: FetchFestvoxLimits,
  remembered: Remembered,
): Promise<FetchedSource> {
  const acquired = await acquireZip(url, ctx, limits.download)
  if (acquired.record !== null) remembered.urls.set(url, acquired.record)
  let path = acquired.path
  let isTemp = acquired.isTemp
  try {
    let part = await findExtractedPart(ctx.settings.dataDir, ctx.store, acquired.zip, limits.extract)
    if (part !== null) {
      ctx.log.info(`${url}: zip ${acquired.zip} was extracted before, reusing its ${part.items.length} items`)
    } else {
      if (path === null) {
        path = await materializeZip(acquired.zip, ctx, limits.download)
        isTemp = true
      }
      part = await extractZip(url, path, ctx, limits)
      // Read in place: the items must come from the very bytes whose CID the source names.
      if (!isTemp) await acquired.checkUnchanged()
      remembered.parts.set(acquired.zip, await storeExtractedPart(ctx.store, part))
    }
    return { url, part, source: { url, cid: acquired.zip, skipped: [...part.skipped] }, bytes: acquired.size }
  } finally {
    if (path !== null && isTemp) await removeTemp(path)
  }
}

/** Flushes the store, then writes what FETCH remembers (see Remembered). */
async function saveRemembered(ctx: TaskContext, limits: FetchFestvoxLimits, remembered: Remembered) {
  if (remembered.urls.size === 0 && remembered.parts.size === 0) return
  await ctx.store.flush()
  await saveUrlRecords(ctx.settings.dataDir, remembered.urls)
  await recordExtractedParts(ctx.settings.dataDir, limits.extract, remembered.parts)
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

/**
 * A context whose progress spans every zip of one FETCH: bytes of the zip being read (against
 * its Content-Length or file size), and files counted over all zips so far, so the count never
 * restarts; with several zips the unit says which one (`files (zip 2/3)`).
 */
function progressAcrossZips(
  ctx: TaskContext,
  count: number,
): { ctx: TaskContext; startZip(index: number): void } {
  let zip = 0
  let filesBefore = 0
  let filesOfZip = 0
  const progress = (done: number, total: number, unit: string): void => {
    const which = count > 1 ? ` (zip ${zip + 1}/${count})` : ''
    if (unit !== 'files') return ctx.progress(done, total, `${unit}${which}`)
    filesOfZip = total
    ctx.progress(filesBefore + done, filesBefore + total, `files${which}`)
  }
  return {
    ctx: { ...ctx, progress },
    startZip(index) {
      zip = index
      filesBefore += filesOfZip
      filesOfZip = 0
    },
  }
}

/** Builds FETCH_FESTVOX with some limits changed (tests use small ones). */
export function createFetchFestvox(overrides: LimitOverrides = {}): ImplementationOf<'FETCH_FESTVOX'> {
  const limits = resolveLimits(overrides)
  return {
    kind: 'whole',
    async run(_input, args, ctx): Promise<TaskResult> {
      const fetched: FetchedSource[] = []
      const urls = distinctUrls(args)
      const across = progressAcrossZips(ctx, urls.length)
      const remembered: Remembered = { urls: new Map(), parts: new Map() }
      try {
        for (const [index, url] of urls.entries()) {
          ctx.signal.throwIfAborted()
          across.startZip(index)
          fetched.push(await fetchSource(url, across.ctx, limits, remembered))
        }
      } catch (error) {
        // The zips done so far are remembered anyway, so that a retry reuses them.
        await saveRemembered(ctx, limits, remembered).catch((failure: unknown) => {
          ctx.log.warn(`could not remember the zips read so far: ${String(failure)}`)
        })
        throw error
      }
      const manifest = mergeSources(fetched)
      const output = await writeJson(ctx.store, manifest)
      await saveRemembered(ctx, limits, remembered)
      const skipped = manifest.sources.reduce((sum, s) => sum + s.skipped.length, 0)
      const bytes = fetched.reduce((sum, f) => sum + f.bytes, 0)
      return { output, refs: [], stats: { items: manifest.items.length, skipped, bytes } }
    },
  }
}

/** FETCH_FESTVOX(url, ...urls) with the default limits (SPEC §3). */
export const fetchFestvox: ImplementationOf<'FETCH_FESTVOX'> = createFetchFestvox()
