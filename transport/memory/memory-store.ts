import { exporter } from 'ipfs-unixfs-exporter'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { importByteStream } from 'ipfs-unixfs-importer'
import type { CID } from 'multiformats/cid'
import {
  asCid,
  type BlobStat,
  type ByteSource,
  type Cid,
  NotFoundError,
  type PutResult,
  type Store,
} from '../../core/domain/index.ts'

/** Yields the source's chunks, adding their lengths to `counter.bytes` (the blob's size, not its DAG's). */
async function* chunksOf(source: ByteSource, counter: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of source instanceof Uint8Array ? [source] : source) {
    counter.bytes += chunk.length
    yield chunk
  }
}

async function collect(
  value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<Uint8Array> {
  if (value instanceof Uint8Array) return value
  const parts: Uint8Array[] = []
  for await (const part of value) parts.push(part)
  return Buffer.concat(parts)
}

/** The in-memory Store, with its blocks (by block CID) and every put's CID in order, for tests to inspect. */
export type MemoryStore = Store & { blocks: Map<string, Uint8Array>; puts: Cid[] }

/**
 * An in-memory Store with the real CIDs (the same importer settings as `ipfs add
 * --cid-version=1 --raw-leaves`), for unit tests of pure logic. Nothing persists.
 * `puts` records every put, also of bytes already held.
 */
export function createMemoryStore(): MemoryStore {
  const blocks = new Map<string, Uint8Array>()
  const puts: Cid[] = []
  const roots = new Map<string, { size: number; pinned: boolean }>()
  const blockstore = {
    put: async (cid: CID, value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => {
      blocks.set(cid.toString(), await collect(value))
      return cid
    },

    get: async function* (cid: CID) {
      const block = blocks.get(cid.toString())
      if (!block) throw new NotFoundError(`no block ${cid.toString()}`)
      yield block
    },
  }
  const options = {
    cidVersion: 1 as const,
    rawLeaves: true,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: 262_144 }),
    layout: balanced({ maxChildrenPerNode: 174 }),
  }
  const store = {
    blocks,
    puts,
    async put(bytes: ByteSource): Promise<PutResult> {
      const counter = { bytes: 0 }
      const result = await importByteStream(chunksOf(bytes, counter), blockstore, options)
      const cid = asCid(result.cid.toString())
      const size = counter.bytes
      roots.set(cid, { size, pinned: roots.get(cid)?.pinned ?? false })
      puts.push(cid)
      return { cid, size }
    },
    async *get(cid: Cid, range?: { offset: number; length?: number }): AsyncIterable<Uint8Array> {
      if (!roots.has(cid)) throw new NotFoundError(`no blob ${cid}`)
      const entry = await exporter(cid, blockstore)
      if (entry.type !== 'file' && entry.type !== 'raw') throw new NotFoundError(`${cid} is not a file`)
      yield* entry.content(
        range
          ? { offset: range.offset, ...(range.length !== undefined ? { length: range.length } : {}) }
          : undefined,
      )
    },
    async has(cid: Cid): Promise<boolean> {
      return roots.has(cid)
    },
    async stat(cid: Cid): Promise<BlobStat | null> {
      const root = roots.get(cid)
      return root ? { cid, size: root.size, pinned: root.pinned } : null
    },
    async pin(cid: Cid): Promise<void> {
      const root = roots.get(cid)
      if (root) root.pinned = true
    },
    async unpin(cid: Cid): Promise<void> {
      const root = roots.get(cid)
      if (root) root.pinned = false
    },
    async *list(): AsyncIterable<Cid> {
      yield* [...roots.keys()] as Cid[]
    },
    async delete(cid: Cid): Promise<void> {
      roots.delete(cid)
    },
    async flush(): Promise<void> {},
    async close(): Promise<void> {},
  }
  return store
}
