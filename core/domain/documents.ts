import { z } from 'zod'
import { Cid } from './cid.ts'
import { DATASET_KIND, DatasetManifest } from './dataset.ts'
import { assertNever, ValidationError } from './errors.ts'
import { MODEL_KIND } from './model-document.ts'
import type { Store } from './store.ts'

/** Largest JSON document read whole into memory (manifests, model documents), bytes. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

/** Reads a whole blob into memory; for documents and small files only (at most `limit` bytes). */
export async function readBytes(store: Store, cid: Cid, limit = MAX_DOCUMENT_BYTES): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of store.get(cid)) {
    size += chunk.length
    if (size > limit) throw new ValidationError(`blob ${cid} is larger than ${limit} bytes`)
    chunks.push(chunk)
  }
  // One chunk (any blob of one block) is not copied; a plain view, so that slice() still copies.
  const only = chunks.length === 1 ? chunks[0]! : null
  if (only) return new Uint8Array(only.buffer, only.byteOffset, only.byteLength)
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/** Reads and parses a JSON document. */
export async function readJson(store: Store, cid: Cid): Promise<unknown> {
  const bytes = await readBytes(store, cid)
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown
  } catch {
    throw new ValidationError(`blob ${cid} is not a JSON document`)
  }
}

/** Stores a value as a JSON document; the same value built the same way gets the same CID. */
export async function writeJson(store: Store, value: unknown): Promise<Cid> {
  const { cid } = await store.put(new TextEncoder().encode(JSON.stringify(value)))
  return cid
}

/** Reads a dataset manifest (SPEC §3), checking its shape. */
export async function readManifest(store: Store, cid: Cid | null): Promise<DatasetManifest> {
  if (cid === null)
    throw new ValidationError('this task needs a dataset as input, and the step before produced none')
  const parsed = DatasetManifest.safeParse(await readJson(store, cid))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ValidationError(
      `input ${cid} is not a dataset manifest: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
    )
  }
  return parsed.data
}

/** Most CIDs a report or an event may list in `refs`: only what its output does not reference itself (SPEC §3). */
export const MAX_REFS = 64

/** Kind of the document the monitor writes per perItem step: the CIDs of its shards' item lists (SPEC §10). */
export const SHARD_LISTS_KIND = 'banzai.shard-lists/1'

/** The shard item lists of one perItem step, in shard order; each is a manifest of that shard's items only. */
export const ShardLists = z.object({ kind: z.literal(SHARD_LISTS_KIND), shards: z.array(Cid) })
export type ShardLists = z.infer<typeof ShardLists>

/** Only the fields of a document that reference other CIDs, by kind (parsing nothing else). */
const ReferencingDocument = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal(DATASET_KIND),
    sources: z.array(z.object({ cid: Cid })),
    items: z.array(z.object({ audio: Cid, mfcc: Cid.optional() })),
  }),
  z.object({ kind: z.literal(MODEL_KIND), model: Cid, weights: Cid }),
  ShardLists,
])

/**
 * The CIDs a parsed document references by construction (SPEC §3): a manifest's sources and
 * items' audio/mfcc, a model's model/weights, a step's shard lists. Anything else references none.
 */
export function documentRefs(document: unknown): Cid[] {
  const parsed = ReferencingDocument.safeParse(document)
  if (!parsed.success) return []
  const doc = parsed.data
  switch (doc.kind) {
    case DATASET_KIND: {
      const refs = new Set<Cid>()
      for (const source of doc.sources) refs.add(source.cid)
      for (const item of doc.items) {
        refs.add(item.audio)
        if (item.mfcc) refs.add(item.mfcc)
      }
      return [...refs]
    }
    case MODEL_KIND:
      return [doc.model, doc.weights]
    case SHARD_LISTS_KIND:
      return doc.shards
    default:
      return assertNever(doc)
  }
}

/** The CIDs the blob `cid` references, read from it; a blob that is not a JSON document references none. */
export async function readDocumentRefs(store: Store, cid: Cid): Promise<Cid[]> {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readBytes(store, cid))
  } catch (error) {
    if (error instanceof ValidationError || error instanceof TypeError) return [] // too large or not text
    throw error
  }
  if (!text.startsWith('{')) return []
  try {
    return documentRefs(JSON.parse(text))
  } catch {
    return []
  }
}

/** The CIDs a manifest references (every item's audio and mfcc), deduplicated, in order. */
export function manifestRefs(manifest: DatasetManifest): Cid[] {
  const refs = new Set<Cid>()
  for (const source of manifest.sources) refs.add(source.cid)
  for (const item of manifest.items) {
    refs.add(item.audio)
    if (item.mfcc) refs.add(item.mfcc)
  }
  return [...refs]
}
