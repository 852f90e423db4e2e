import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import {
  asCid,
  type BlobStat,
  type ByteSource,
  type Cid,
  NotFoundError,
  type PutResult,
  type Store,
} from '../../../core/domain/index.ts'

/** An in-memory Store for tests: CIDv1 raw sha2-256 of the whole blob; counts puts. */
export class MemoryStore implements Store {
  readonly blobs = new Map<string, Uint8Array>()
  /** Every put, in order (also those of bytes already held). */
  readonly puts: Cid[] = []

  async put(bytes: ByteSource): Promise<PutResult> {
    const chunks: Uint8Array[] = []
    if (bytes instanceof Uint8Array) chunks.push(bytes)
    else if (Symbol.asyncIterator in bytes) for await (const chunk of bytes) chunks.push(chunk)
    else for (const chunk of bytes) chunks.push(chunk)
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
    let offset = 0
    for (const chunk of chunks) {
      all.set(chunk, offset)
      offset += chunk.length
    }
    const cid = asCid(CID.createV1(raw.code, await sha256.digest(all)).toString())
    this.blobs.set(cid, all)
    this.puts.push(cid)
    return { cid, size: all.length }
  }

  async *get(cid: Cid, range?: { offset: number; length?: number }): AsyncIterable<Uint8Array> {
    const blob = this.blobs.get(cid)
    if (blob === undefined) throw new NotFoundError(`no blob ${cid}`)
    const start = range?.offset ?? 0
    const end = range?.length === undefined ? blob.length : start + range.length
    // Several chunks, as a real store streams them.
    for (let at = start; at < end; at += 65_536) yield blob.slice(at, Math.min(end, at + 65_536))
  }

  async has(cid: Cid): Promise<boolean> {
    return this.blobs.has(cid)
  }

  async stat(cid: Cid): Promise<BlobStat | null> {
    const blob = this.blobs.get(cid)
    return blob === undefined ? null : { cid, size: blob.length, pinned: false }
  }

  async pin(): Promise<void> {}
  async unpin(): Promise<void> {}

  async *list(): AsyncIterable<Cid> {
    for (const cid of this.blobs.keys()) yield asCid(cid)
  }

  async delete(cid: Cid): Promise<void> {
    this.blobs.delete(cid)
  }

  async close(): Promise<void> {}
}
