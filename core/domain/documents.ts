import type { Cid } from './cid.ts'
import { DatasetManifest } from './dataset.ts'
import { ValidationError } from './errors.ts'
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
