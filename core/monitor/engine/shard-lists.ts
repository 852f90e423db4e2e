import {
  type Cid,
  DATASET_KIND,
  type DatasetManifest,
  SHARD_LISTS_KIND,
  ShardLists,
  readJson,
  type Store,
  writeJson,
} from '../../domain/index.ts'
import type { ReadManifest } from './manifest-cache.ts'

/** What cutting a step's input into shard item lists uses. */
export interface ShardListDeps {
  store: Store
  readManifest: ReadManifest
  /** Items per shard. */
  shardSize: number
}

/**
 * Writes one item-list blob per shard (a manifest of only that shard's items) and the step's
 * shard lists document naming them, in shard order (SPEC §10). Linear in the items; the
 * blobs are durable before the step's first order names them.
 */
export async function writeShardLists(
  deps: ShardListDeps,
  input: Cid,
): Promise<{ itemCount: number; shards: number; shardLists: Cid }> {
  const manifest = await deps.readManifest(input)
  const itemCount = manifest.items.length
  const shards = Math.max(1, Math.ceil(itemCount / deps.shardSize))
  const lists: Cid[] = []
  for (let shard = 0; shard < shards; shard++) {
    const items = manifest.items.slice(shard * deps.shardSize, (shard + 1) * deps.shardSize)
    const list: DatasetManifest = { kind: DATASET_KIND, sources: [], items }
    lists.push(await writeJson(deps.store, list))
  }
  const document: ShardLists = { kind: SHARD_LISTS_KIND, shards: lists }
  const shardLists = await writeJson(deps.store, document)
  await deps.store.flush()
  return { itemCount, shards, shardLists }
}

/** Reads a step's shard lists document by CID. */
export type ReadShardLists = (cid: Cid) => Promise<ShardLists>

/** A reader of shard lists documents that keeps the last 16 read (content-addressed, so never stale). */
export function createShardListsCache(store: Store): ReadShardLists {
  const documents = new Map<string, ShardLists>()
  return async (cid) => {
    const cached = documents.get(cid)
    if (cached) return cached
    const parsed = ShardLists.safeParse(await readJson(store, cid))
    if (!parsed.success) throw new Error(`${cid} is not a shard lists document`)
    if (documents.size >= 16) documents.delete(documents.keys().next().value!)
    documents.set(cid, parsed.data)
    return parsed.data
  }
}
