import { join } from 'node:path'
import { z } from 'zod'
import { Cid, DatasetItem, SkippedEntry, type Store, ValidationError } from '../../core/domain/index.ts'
import { readJson, writeJson } from '../documents.ts'
import { readJsonFile, writeJsonFile } from './atomic-json-file.ts'
import type { ExtractLimits } from './limits.ts'

/** Bumped whenever extraction of the same zip would give another result. */
export const EXTRACTOR_VERSION = 1

/** One utterance taken from a zip, with the entry it came from. */
export const ExtractedItem = z.object({ entry: z.string(), item: DatasetItem })
export type ExtractedItem = z.infer<typeof ExtractedItem>

/** What one zip contributes to a manifest, stored as a JSON blob and reused per zip CID. */
export const ExtractedPart = z.object({ items: z.array(ExtractedItem), skipped: z.array(SkippedEntry) })
export type ExtractedPart = z.infer<typeof ExtractedPart>

const PART_KIND = 'banzai.festvox-part/1'
const PartDocument = ExtractedPart.extend({ kind: z.literal(PART_KIND) })

const IndexFile = z.object({
  v: z.literal(1),
  zips: z.record(z.string(), z.object({ part: Cid, key: z.string() })),
})
type IndexFile = z.infer<typeof IndexFile>

/** The index of extracted zips: `<dataDir>/fetch-festvox/extracted.json`, zip CID → part CID. */
export function extractionIndexPath(dataDir: string): string {
  return join(dataDir, 'fetch-festvox', 'extracted.json')
}

/** What must match for an earlier extraction to be reused: extractor version and limits. */
function extractionKey(limits: ExtractLimits): string {
  return JSON.stringify({ v: EXTRACTOR_VERSION, limits })
}

async function readIndex(dataDir: string): Promise<IndexFile> {
  const parsed = IndexFile.safeParse(await readJsonFile(extractionIndexPath(dataDir)))
  return parsed.success ? parsed.data : { v: 1, zips: {} }
}

/** The part extracted before from this zip, if the store still holds it and every blob it names. */
export async function findExtractedPart(
  dataDir: string,
  store: Store,
  zip: Cid,
  limits: ExtractLimits,
): Promise<ExtractedPart | null> {
  const known = (await readIndex(dataDir)).zips[zip]
  if (known === undefined || known.key !== extractionKey(limits)) return null
  if (!(await store.has(known.part))) return null
  let document: unknown
  try {
    document = await readJson(store, known.part)
  } catch (error) {
    // Not JSON: extract again rather than fail; a store error (corrupt block) still surfaces.
    if (error instanceof ValidationError) return null
    throw error
  }
  const parsed = PartDocument.safeParse(document)
  if (!parsed.success) return null
  for (const { item } of parsed.data.items) {
    if (!(await store.has(item.audio))) return null
  }
  return { items: parsed.data.items, skipped: parsed.data.skipped }
}

/** Stores a part as a JSON blob; recordExtractedParts indexes it once the store is flushed. */
export async function storeExtractedPart(store: Store, part: ExtractedPart): Promise<Cid> {
  return writeJson(store, { kind: PART_KIND, ...part })
}

/**
 * Records parts (zip CID → part CID) in the index in one write (read-modify-write, atomic
 * rename). The index outlives the unit: every part and WAV it names must be durable first.
 */
export async function recordExtractedParts(
  dataDir: string,
  limits: ExtractLimits,
  parts: ReadonlyMap<Cid, Cid>,
): Promise<void> {
  if (parts.size === 0) return
  const index = await readIndex(dataDir)
  for (const [zip, part] of parts) index.zips[zip] = { part, key: extractionKey(limits) }
  await writeJsonFile(extractionIndexPath(dataDir), index)
}
