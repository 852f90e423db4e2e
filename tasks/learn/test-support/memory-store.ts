import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import {
  type BlobStat,
  type ByteSource,
  type Cid,
  NotFoundError,
  type PutResult,
  type Store,
  asCid,
} from '../../../core/domain/index.ts'

/** A Store held in a Map, for tests: CIDv1 raw + sha2-256 of the whole blob (as IPFS for one-chunk blobs). */
export function createTestStore(): Store & { blobs: Map<Cid, Uint8Array> } {
  const blobs = new Map<Cid, Uint8Array>()
  const pins = new Set<Cid>()
  return {
    blobs,
    async put(bytes: ByteSource): Promise<PutResult> {
      const whole = await collect(bytes)
      const cid = asCid(CID.createV1(raw.code, await sha256.digest(whole)).toString())
      blobs.set(cid, whole)
      return { cid, size: whole.length }
    },
    async *get(cid: Cid, range?: { offset: number; length?: number }): AsyncIterable<Uint8Array> {
      const blob = blobs.get(cid)
      if (!blob) throw new NotFoundError(`blob ${cid} not found`)
      const offset = range?.offset ?? 0
      yield blob.slice(offset, range?.length === undefined ? undefined : offset + range.length)
    },
    async has(cid: Cid): Promise<boolean> {
      return blobs.has(cid)
    },
    async stat(cid: Cid): Promise<BlobStat | null> {
      const blob = blobs.get(cid)
      return blob ? { cid, size: blob.length, pinned: pins.has(cid) } : null
    },
    async pin(cid: Cid): Promise<void> {
      pins.add(cid)
    },
    async unpin(cid: Cid): Promise<void> {
      pins.delete(cid)
    },
    async *list(): AsyncIterable<Cid> {
      yield* blobs.keys()
    },
    async delete(cid: Cid): Promise<void> {
      blobs.delete(cid)
      pins.delete(cid)
    },
    async close(): Promise<void> {},
  }
}

async function collect(source: ByteSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source.slice()
  const chunks: Uint8Array[] = []
  for await (const chunk of source) chunks.push(chunk)
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.length
  }
  return out
}
