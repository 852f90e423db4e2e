import { z } from 'zod'
import {
  type Cid,
  DatasetItem,
  DatasetManifest,
  readJson,
  type Store,
  ValidationError,
} from '../../domain/index.ts'
import { SLICE, yieldToLoop } from './yield-to-loop.ts'

/** A manifest whose items are not checked yet: they are checked a slice at a time. */
const ManifestEnvelope = DatasetManifest.extend({ items: z.array(z.unknown()) })

function notAManifest(
  cid: Cid,
  issue: z.core.$ZodIssue | undefined,
  at: (string | number)[],
): ValidationError {
  const path = [...at, ...(issue?.path ?? [])].map(String).join('.')
  return new ValidationError(`input ${cid} is not a dataset manifest: ${path} ${issue?.message ?? ''}`)
}

/**
 * Reads a dataset manifest (SPEC §3) as `readManifest` does, with the same errors, but checks
 * its items SLICE at a time with a yield between slices: a 20k-item manifest never holds the
 * event loop for its whole check.
 */
export async function readManifestInSlices(store: Store, cid: Cid): Promise<DatasetManifest> {
  const envelope = ManifestEnvelope.safeParse(await readJson(store, cid))
  if (!envelope.success) throw notAManifest(cid, envelope.error.issues[0], [])
  const raw = envelope.data.items
  const items: DatasetItem[] = new Array<DatasetItem>(raw.length)
  for (let start = 0; start < raw.length; start += SLICE) {
    if (start > 0) await yieldToLoop()
    for (let i = start; i < Math.min(raw.length, start + SLICE); i++) {
      const item = DatasetItem.safeParse(raw[i])
      if (!item.success) throw notAManifest(cid, item.error.issues[0], ['items', i])
      items[i] = item.data
    }
  }
  return { kind: envelope.data.kind, sources: envelope.data.sources, items }
}

/**
 * Writes a dataset manifest as `writeJson` does (the very same bytes, so the same CID), its
 * items serialized SLICE at a time with a yield between slices.
 */
export async function writeManifestInSlices(store: Store, manifest: DatasetManifest): Promise<Cid> {
  const parts = [
    `{"kind":${JSON.stringify(manifest.kind)},"sources":${JSON.stringify(manifest.sources)},"items":[`,
  ]
  for (let start = 0; start < manifest.items.length; start += SLICE) {
    if (start > 0) await yieldToLoop()
    const slice = manifest.items.slice(start, start + SLICE).map((item) => JSON.stringify(item))
    parts.push((start > 0 ? ',' : '') + slice.join(','))
  }
  parts.push(']}')
  const { cid } = await store.put(new TextEncoder().encode(parts.join('')))
  return cid
}
