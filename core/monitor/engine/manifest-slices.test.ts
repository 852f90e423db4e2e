import { describe, expect, test } from 'vitest'
import { type Cid, DATASET_KIND, type DatasetManifest, readManifest, writeJson } from '../../domain/index.ts'
import { createMemoryStore } from '../../../transport/memory/index.ts'
import { readManifestInSlices, writeManifestInSlices } from './manifest-slices.ts'
import { SLICE } from './yield-to-loop.ts'

const AUDIO = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku' as Cid

/** A manifest of `n` items, spanning several slices, with an extra field and an undefined one. */
function manifest(n: number): DatasetManifest {
  return {
    kind: DATASET_KIND,
    sources: [{ url: 'file:///a.zip', cid: AUDIO, skipped: [{ entry: 'x', reason: 'not a WAV' }] }],
    items: Array.from({ length: n }, (_, i) => ({
      id: `s/u${i}`,
      speaker: 's',
      utterance: `u${i}`,
      audio: AUDIO,
      sampleRate: 16_000,
      channels: 1,
      samples: i,
      seconds: i / 16_000,
      text: i % 2 === 0 ? `text "${i}"` : undefined,
      echo: 'w1',
    })),
  }
}

describe('manifests read and written a slice at a time', () => {
  test('given a manifest of 2.5 slices, when written in slices, then its bytes and CID are writeJson’s', async () => {
    const store = createMemoryStore()
    const value = manifest(Math.floor(SLICE * 2.5))
    expect(await writeManifestInSlices(store, value)).toBe(await writeJson(store, value))
    expect(await writeManifestInSlices(store, manifest(0))).toBe(await writeJson(store, manifest(0)))
  })

  test('given a stored manifest, when read in slices, then it equals readManifest’s reading', async () => {
    const store = createMemoryStore()
    const cid = await writeJson(store, manifest(SLICE + 3))
    expect(await readManifestInSlices(store, cid)).toEqual(await readManifest(store, cid))
  })

  test('given an item that breaks the schema past the first slice, then the error names it as readManifest does', async () => {
    const store = createMemoryStore()
    const bad = manifest(SLICE + 10) as { items: Record<string, unknown>[] }
    bad.items[SLICE + 5]!.audio = 'not a cid'
    const cid = await writeJson(store, bad)
    const expected = await readManifest(store, cid).catch((e: Error) => e.message)
    await expect(readManifestInSlices(store, cid)).rejects.toThrow(expected)
    expect(expected).toContain(`items.${SLICE + 5}.audio`)
    const notOne = await writeJson(store, { kind: 'something else' })
    const wanted = await readManifest(store, notOne).catch((e: Error) => e.message)
    await expect(readManifestInSlices(store, notOne)).rejects.toThrow(wanted)
  })
})
