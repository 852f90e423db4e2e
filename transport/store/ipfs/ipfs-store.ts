import { create } from 'kubo-rpc-client'
import type { KuboRPCClient } from 'kubo-rpc-client'
import {
  type BlobStat,
  type ByteSource,
  type Cid,
  type PutResult,
  type Store,
  BanzaiError,
  NotFoundError,
  asCid,
} from '../../../core/domain/index.ts'
import { countBytes } from '../byte-source.ts'
import { CHUNK_SIZE, IPFS_ADD_OPTIONS } from '../cid-params.ts'
import { parseCid } from '../parse-cid.ts'
import { parseRange } from '../range.ts'
import { AddBatcher } from './add-batcher.ts'
import { type LocalQuery, isDagLocal, isPinnedRecursively } from './local-blocks.ts'
import { PINS_DIR, ROOTS_DIR, addEntry, hasEntry, listEntries, removeEntry } from './mfs-records.ts'

/** Options of the IPFS store. */
export interface IpfsStoreOptions {
  /** The node's RPC API, e.g. `http://127.0.0.1:5001` (BANZAI_IPFS_API). */
  url: string
  /** How long `get` waits for a blob's root from the node or its peers before NotFoundError: ms, default 30 000. */
  findTimeoutMs?: number
  /** Backstop of local-only questions (`has`, `stat`) to a node that ignores `offline`: ms, default 5 000. */
  localTimeoutMs?: number
}

/** Yields the first chunk's absence as an empty blob: the RPC client rejects an empty stream. */
async function peekSource(
  source: AsyncIterable<Uint8Array>,
): Promise<Uint8Array | AsyncIterable<Uint8Array>> {
  const iterator = source[Symbol.asyncIterator]()
  const first = await iterator.next()
  if (first.done) return new Uint8Array(0)
  return (async function* () {
    yield first.value
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  })()
}

function isNotPinned(error: unknown): boolean {
  return error instanceof Error && /not pinned/i.test(error.message)
}

/** The node did not answer at all (refused, reset): not the same as "not there". */
function unreachable(url: string, error: unknown): BanzaiError | null {
  if (!(error instanceof TypeError)) return null
  return new BanzaiError('unavailable', `IPFS node at ${url} is unreachable: ${error.message}`)
}

/**
 * A content store over an IPFS node's RPC API (Kubo, or js-ipfs for tests) through
 * kubo-rpc-client: adds with the CID parameters of SPEC §4 and pins every blob it puts.
 */
export function createIpfsStore({
  url,
  findTimeoutMs = 30_000,
  localTimeoutMs = 5_000,
}: IpfsStoreOptions): Store {
  const ipfs: KuboRPCClient = create({ url })
  const local: LocalQuery = { offline: true, timeout: localTimeoutMs }
  const batcher = new AddBatcher(ipfs)

  async function put(bytes: ByteSource): Promise<PutResult> {
    // A blob of one block goes with the other small puts of the moment in one `add` request.
    if (bytes instanceof Uint8Array && bytes.byteLength > 0 && bytes.byteLength <= CHUNK_SIZE) {
      const cid = await batcher.add(bytes)
      await addEntry(ipfs, ROOTS_DIR, cid)
      return { cid, size: bytes.byteLength }
    }
    const counter = { bytes: 0 }
    const content = await peekSource(countBytes(bytes, counter))
    const added = await ipfs.add(content, { ...IPFS_ADD_OPTIONS, pin: true })
    const cid = asCid(added.cid.toV1().toString())
    await addEntry(ipfs, ROOTS_DIR, cid)
    return { cid, size: counter.bytes }
  }

  async function has(cid: Cid): Promise<boolean> {
    const parsed = parseCid(cid)
    try {
      return (await isPinnedRecursively(ipfs, parsed, local)) || (await isDagLocal(ipfs, parsed, local))
    } catch (error) {
      // A timeout or "block not found" from the node: the blob is not (wholly) local.
      const down = unreachable(url, error)
      if (down) throw down
      if (error instanceof BanzaiError) throw error
      return false
    }
  }

  /** Size (bytes) of a blob, waiting `options.timeout` ms at most; null when it cannot be found. */
  async function sizeOf(cid: Cid, options: { timeout: number; offline?: true }): Promise<number | null> {
    try {
      return (await ipfs.files.stat(`/ipfs/${cid}`, options)).size
    } catch (error) {
      const down = unreachable(url, error)
      if (down) throw down
      return null
    }
  }

  async function* get(cid: Cid, range?: { offset: number; length?: number }): AsyncGenerator<Uint8Array> {
    const wanted = parseRange(range)
    parseCid(cid)
    // Only the root is awaited with a deadline: the rest streams as peers deliver it.
    const size = await sizeOf(cid, { timeout: findTimeoutMs })
    if (size === null)
      throw new NotFoundError(
        `blob ${cid} is not on the IPFS node and no peer provided it within ${findTimeoutMs} ms`,
      )
    const end = Math.min(wanted.end, size)
    if (wanted.offset >= end) return
    const options = Number.isFinite(wanted.end)
      ? { offset: wanted.offset, length: end - wanted.offset }
      : { offset: wanted.offset }
    yield* ipfs.cat(cid, options)
  }

  async function stat(cid: Cid): Promise<BlobStat | null> {
    if (!(await has(cid))) return null
    const size = await sizeOf(cid, local)
    if (size === null) return null
    return { cid, size, pinned: await hasEntry(ipfs, PINS_DIR, cid) }
  }

  async function pin(cid: Cid): Promise<void> {
    if (!(await has(cid))) throw new NotFoundError(`cannot pin ${cid}: the blob is not on the IPFS node`)
    await ipfs.pin.add(parseCid(cid), { recursive: true })
    await addEntry(ipfs, PINS_DIR, cid)
  }

  async function remove(cid: Cid): Promise<void> {
    const parsed = parseCid(cid)
    if (await hasEntry(ipfs, PINS_DIR, cid))
      throw new BanzaiError('conflict', `blob ${cid} is pinned: unpin it before deleting it`)
    await removeEntry(ipfs, ROOTS_DIR, cid)
    try {
      await ipfs.pin.rm(parsed, { recursive: true })
    } catch (error) {
      if (!isNotPinned(error)) throw error
    }
    // The node's GC removes the blocks no pin or MFS entry still reaches (see README).
    for await (const result of ipfs.repo.gc()) if (result.err) throw result.err
  }

  return {
    put,
    get,
    has,
    // A peer's blob counts once the node can resolve it (bitswap), within the deadline.
    find: async (cid, timeoutMs) => {
      parseCid(cid)
      return (await sizeOf(cid, { timeout: timeoutMs })) !== null
    },
    stat,
    pin,
    unpin: async (cid) => removeEntry(ipfs, PINS_DIR, cid),
    list: () => listEntries(ipfs, ROOTS_DIR),
    delete: remove,
    // The node makes each add durable before it answers (Kubo's flatfs syncs): only batches on their way wait.
    flush: async () => batcher.drain(),
    close: async () => undefined,
  }
}
