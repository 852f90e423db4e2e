import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { asCid, type BlobStat, type ByteSource, type Cid, NotFoundError, type Store, ValidationError } from '../../core/domain/index.ts'

/** Largest blob the memory store holds: one UnixFS chunk, where the raw-leaf CID is the IPFS CID, bytes. */
export const MEMORY_STORE_MAX_BYTES = 256 * 1024

async function collect(bytes: ByteSource): Promise<Uint8Array> {
  if (bytes instanceof Uint8Array) return bytes
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of bytes) {
    size += chunk.length
    if (size > MEMORY_STORE_MAX_BYTES) break
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

/**
 * Creates a content store held in memory, for tests of tasks and the worker host: blobs up to
 * 256 KiB (one chunk, so CIDs equal `ipfs add --cid-version=1 --raw-leaves`); larger ones are rejected.
 */
export function createMemoryStore(): Store {
  const blobs = new Map<Cid, Uint8Array>()
  const pins = new Set<Cid>()
  return {
    async put(source) {
      const bytes = await collect(source)
      if (bytes.length > MEMORY_STORE_MAX_BYTES) {
        throw new ValidationError(`the memory store holds blobs of at most ${MEMORY_STORE_MAX_BYTES} bytes`)
      }
      const cid = asCid(CID.createV1(raw.code, await sha256.digest(bytes)).toString())
      if (!blobs.has(cid)) blobs.set(cid, bytes.slice())
      return { cid, size: bytes.length }
    },
    async *get(cid, range) {
      const bytes = blobs.get(cid)
      if (!bytes) throw new NotFoundError(`blob ${cid} is not in the store`)
      const start = range?.offset ?? 0
      const end = range?.length === undefined ? bytes.length : start + range.length
      yield bytes.slice(start, end)
    },
    has: async (cid) => blobs.has(cid),
    async stat(cid): Promise<BlobStat | null> {
      const bytes = blobs.get(cid)
      return bytes ? { cid, size: bytes.length, pinned: pins.has(cid) } : null
    },
    async pin(cid) {
      pins.add(cid)
    },
    async unpin(cid) {
      pins.delete(cid)
    },
    async *list() {
      yield* [...blobs.keys()]
    },
    async delete(cid) {
      blobs.delete(cid)
      pins.delete(cid)
    },
    async close() {},
  }
}
