import type { Cid } from './cid.ts'

/** What `put` returns: the CID of the bytes and their length. */
export interface PutResult {
  cid: Cid
  size: number
}

/** What `stat` says of a blob held locally. */
export interface BlobStat {
  cid: Cid
  size: number
  pinned: boolean
}

/** Bytes as they flow through the store: chunks, never a whole blob at once. */
export type ByteSource = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>

/**
 * The content store of SPEC §4, implemented by the embedded block store and by the IPFS
 * client. CIDs are those of `ipfs add --cid-version=1 --raw-leaves`.
 */
export interface Store {
  /** Stores bytes (streamed) and returns their CID; storing bytes already present writes nothing. */
  put(bytes: ByteSource): Promise<PutResult>
  /** Streams a blob's bytes; throws NotFoundError for an unknown CID and a `corrupt` error for a bad block. */
  get(cid: Cid, range?: { offset: number; length?: number }): AsyncIterable<Uint8Array>
  /** Whether the whole blob is readable locally; never waits on the network. */
  has(cid: Cid): Promise<boolean>
  /**
   * Whether the blob can be read through this store within `timeoutMs`, the network included (an
   * IPFS node asks its peers). Optional: a store without it is local only, where `has` answers.
   */
  find?(cid: Cid, timeoutMs: number): Promise<boolean>
  /** Size and pin state of a local blob, or null when it is not held. */
  stat(cid: Cid): Promise<BlobStat | null>
  /** Protects a blob from garbage collection. */
  pin(cid: Cid): Promise<void>
  /** Lifts that protection. */
  unpin(cid: Cid): Promise<void>
  /** The root CIDs held locally (blobs that were put), for garbage collection. */
  list(): AsyncIterable<Cid>
  /** Removes a blob's blocks that no other held blob shares. */
  delete(cid: Cid): Promise<void>
  /**
   * Removes many blobs at once, in one pass over the held ones (garbage collection: linear in
   * blobs, where `delete` one by one would re-read every root each time). Optional; pinned blobs
   * are skipped.
   */
  deleteMany?(cids: readonly Cid[]): Promise<void>
  /**
   * Makes every blob put so far through this store durable (it survives a crash or power cut).
   * A worker flushes before it sends a unit's report; a store whose puts are durable at once
   * resolves at once.
   */
  flush(): Promise<void>
  /** Flushes, then releases files and connections. */
  close(): Promise<void>
}
