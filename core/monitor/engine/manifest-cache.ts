import type { Cid, DatasetManifest, Store } from '../../domain/index.ts'
import { readManifestInSlices } from './manifest-slices.ts'

/** Reads a dataset manifest by CID. */
export type ReadManifest = (cid: Cid) => Promise<DatasetManifest>

/** A reader of dataset manifests (checked a slice at a time) that keeps the last 64 read (content-addressed, so never stale). */
export function createManifestCache(store: Store): ReadManifest {
  const manifests = new Map<string, DatasetManifest>()
  return async (cid) => {
    const cached = manifests.get(cid)
    if (cached) return cached
    const manifest = await readManifestInSlices(store, cid)
    if (manifests.size >= 64) manifests.delete(manifests.keys().next().value!)
    manifests.set(cid, manifest)
    return manifest
  }
}
