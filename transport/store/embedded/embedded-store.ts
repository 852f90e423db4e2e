import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { importer } from 'ipfs-unixfs-importer'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
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
import { CHUNK_SIZE, importerOptions } from '../cid-params.ts'
import { parseCid } from '../parse-cid.ts'
import { parseRange } from '../range.ts'
import { removeStaleTemps } from './atomic-file.ts'
import { BlockFiles } from './block-files.ts'
import { listDagBlocks, loadNode, readDag } from './dag-reader.ts'
import { createMutex, inParallel } from './concurrency.ts'
import { InFlightBlocks } from './in-flight-blocks.ts'
import { PendingSyncs } from './pending-syncs.ts'
import { Packs } from './packs.ts'
import { type RootRecord, RootRecords } from './root-records.ts'

/** Options of the embedded store. */
export interface EmbeddedStoreOptions {
  /** Folder holding `blocks/`, `roots/`, `pins/` and `tmp/`; created if missing. */
  dir: string
  /**
   * When puts become durable. `each` (default): every file is fsynced before its rename, so a
   * put is durable when it returns. `batch`: a blob of one block (≤ 256 KiB) is appended to a
   * pack file, larger ones are files renamed into place unsynced, and `flush()` makes all of
   * them durable at once; a worker flushes before it reports, so nothing the monitor hears of
   * can be lost.
   */
  sync?: 'each' | 'batch'
}

/**
 * Opens the embedded content store in `dir`: UnixFS blocks in files, the CIDs of
 * `ipfs add --cid-version=1 --raw-leaves`, every block re-hashed when read (SPEC §4).
 */
export async function createEmbeddedStore({ dir, sync = 'each' }: EmbeddedStoreOptions): Promise<Store> {
  const tmpDir = join(dir, 'tmp')
  for (const sub of ['blocks', 'roots', 'pins', 'tmp']) await mkdir(join(dir, sub), { recursive: true })
  await removeStaleTemps(tmpDir, Date.now())
  const pending = sync === 'batch' ? new PendingSyncs(dir) : null
  const files = new BlockFiles(join(dir, 'blocks'), tmpDir, pending)
  const roots = new RootRecords(dir, tmpDir, pending)
  // Every process reads packed blobs; only `batch` puts add to them (the others write files).
  const packs = Packs.open(dir)
  // Blocks that running puts stored or rely on: delete never removes them (see README).
  const inFlight = new InFlightBlocks()
  const exclusive = createMutex()

  // Blocks of the multi-block roots read so far: a root's record never changes (content addressed).
  const blocksOfRecord = new Map<string, readonly string[]>()

  /**
   * Removes the candidate blocks that no root other than `except` lists and no running put needs.
   * One directory read; a raw root names its one block without a read, and a record is read
   * once per store: a collection's batches stay linear in the blobs.
   */
  async function removeUnreferenced(candidates: Set<string>, except?: Cid): Promise<void> {
    for (const { cid, isRaw } of await roots.entries()) {
      if (candidates.size === 0) return
      if (cid === except) continue
      if (isRaw) {
        candidates.delete(cid)
        continue
      }
      let blocks = blocksOfRecord.get(cid)
      if (!blocks) {
        const record = await roots.read(cid)
        if (!record) continue // removed since the listing
        blocks = record.blocks
        blocksOfRecord.set(cid, blocks)
      }
      for (const block of blocks) candidates.delete(block)
    }
    const doomed = [...candidates].filter((block) => !inFlight.has(block))
    await inParallel(doomed, (block) => files.removeBlock(parseCid(block)))
  }

  async function put(bytes: ByteSource): Promise<PutResult> {
    const counter = { bytes: 0 }
    const { seen, needed, written, release } = inFlight.track()
    try {
      // One chunk or less is a single raw block (`ipfs add --raw-leaves`): hash it here, no importer.
      if (bytes instanceof Uint8Array && bytes.byteLength <= CHUNK_SIZE) {
        const block = CID.createV1(raw.code, await sha256.digest(bytes))
        const cid = asCid(block.toString())
        // Packed already (an index row names durable bytes), whichever `sync`: nothing to write.
        if (packs.find(cid) !== null) return { cid, size: bytes.byteLength }
        if (pending !== null) return putPacked(cid, bytes)
        seen.needed(block)
        if (await files.putBlock(block, bytes)) seen.written(block)
        if (!(await recordRaw(cid, block, bytes)))
          await exclusive(() => roots.write({ v: 1, cid, size: bytes.byteLength, blocks: [cid] }))
        return { cid, size: bytes.byteLength }
      }
      let root: CID | undefined
      for await (const entry of importer(
        [{ content: countBytes(bytes, counter) }],
        files.writerFor(seen),
        importerOptions(),
      ))
        root = entry.cid
      if (!root) throw new BanzaiError('bug', 'the importer produced no root')
      const cid = asCid(root.toString())
      await exclusive(() => roots.write({ v: 1, cid, size: counter.bytes, blocks: [...needed] }))
      return { cid, size: counter.bytes }
    } catch (error) {
      // A failed put (its source threw, the disk filled) leaves no orphan blocks behind.
      release()
      await exclusive(() => removeUnreferenced(written))
      throw error
    } finally {
      release()
    }
  }

  /**
   * A one-block blob not packed yet, `batch`: appended to this process's pack unless recorded as a
   * file already. No await from the lookup to the append, so no delete of this process runs between.
   */
  function putPacked(cid: Cid, bytes: Uint8Array): PutResult {
    if (!roots.hasRaw(cid)) packs.append(cid, bytes)
    return { cid, size: bytes.byteLength }
  }

  async function* get(cid: Cid, range?: { offset: number; length?: number }): AsyncGenerator<Uint8Array> {
    const wanted = parseRange(range)
    const root = parseCid(cid)
    // A raw block is the whole blob (every blob of 256 KiB or less): one read, no DAG to walk.
    if (root.code === raw.code) {
      const bytes = packs.read(root) ?? files.readBlockSync(root)
      const part = bytes.subarray(
        Math.min(wanted.offset, bytes.byteLength),
        Math.min(wanted.end, bytes.byteLength),
      )
      if (part.byteLength > 0) yield part
      return
    }
    const reader = files.reader()
    const node = await loadNode(reader, root)
    try {
      yield* readDag(reader, node, 0, wanted)
    } catch (error) {
      // The root is there, so a missing block below it means the blob was damaged.
      if (error instanceof NotFoundError)
        throw new BanzaiError('corrupt', `blob ${cid} is incomplete: ${error.message}`)
      throw error
    }
  }

  async function has(cid: Cid): Promise<boolean> {
    const root = parseCid(cid)
    // Only a one-block blob (a raw CID) can be packed.
    if (root.code === raw.code && packs.find(cid) !== null) return true
    try {
      await listDagBlocks(files, root)
      return true
    } catch (error) {
      if (error instanceof BanzaiError && error.code !== 'invalid_input') return false
      throw error
    }
  }

  async function stat(cid: Cid): Promise<BlobStat | null> {
    // The pack index first: one query, where a packed blob's file record is two failed lookups.
    const packed = packedRecord(cid)
    if (packed === null && !(await has(cid))) return null
    const record = packed ?? (await roots.read(cid))
    const size = record ? record.size : Number((await loadNode(files.reader(), parseCid(cid))).size)
    return { cid, size, pinned: await roots.isPinned(cid) }
  }

  async function pin(cid: Cid): Promise<void> {
    if (!(await has(cid))) throw new NotFoundError(`cannot pin ${cid}: the blob is not in the store`)
    await roots.pin(cid)
  }

  /**
   * Records a one-block blob by a hard link to its block. The block was found or written just
   * before; if it is gone by the link (seen once under the monitor-kill chaos test with two workers
   * writing the same blocks, cause not yet found), it is written again and linked once more.
   */
  async function recordRaw(cid: Cid, block: CID, bytes: Uint8Array): Promise<boolean> {
    try {
      return await roots.writeRaw(cid, files.pathOf(block))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      await files.putBlock(block, bytes, true)
      return roots.writeRaw(cid, files.pathOf(block))
    }
  }

  /** The record a packed blob implies (its one block is itself), or null when it is not packed. */
  function packedRecord(cid: Cid): RootRecord | null {
    const at = packs.find(cid)
    return at === null ? null : { v: 1, cid, size: at.size, blocks: [cid] }
  }

  /** Every root: those recorded in files, then the packed ones not recorded there too. */
  async function* list(): AsyncGenerator<Cid> {
    const listed = new Set<string>()
    for await (const cid of roots.list()) {
      listed.add(cid)
      yield cid
    }
    for (const cid of packs.cids()) if (!listed.has(cid)) yield asCid(cid)
  }

  async function remove(cid: Cid): Promise<void> {
    parseCid(cid)
    await exclusive(async () => {
      if (await roots.isPinned(cid))
        throw new BanzaiError('conflict', `blob ${cid} is pinned: unpin it before deleting it`)
      if (packs.find(cid) !== null) {
        packs.remove([cid])
        await packs.reclaim()
      }
      const record = await roots.read(cid)
      if (!record) return
      await roots.remove(cid)
      blocksOfRecord.delete(cid)
      await removeUnreferenced(new Set(record.blocks), cid)
    })
  }

  async function removeMany(cids: readonly Cid[]): Promise<void> {
    await exclusive(async () => {
      const blocks = new Set<string>()
      const packed: Cid[] = []
      for (const cid of cids) parseCid(cid)
      await inParallel(cids, async (cid) => {
        if (await roots.isPinned(cid)) return
        if (packs.find(cid) !== null) packed.push(cid)
        const record = await roots.read(cid)
        if (!record) return
        await roots.remove(cid)
        blocksOfRecord.delete(cid)
        for (const block of record.blocks) blocks.add(block)
      })
      packs.remove(packed)
      // One pass over the roots that remain: a block another root lists stays.
      await removeUnreferenced(blocks)
      if (packed.length > 0) await packs.reclaim()
    })
  }

  return {
    put,
    get,
    has,
    stat,
    pin,
    unpin: async (cid) => roots.unpin(cid),
    list,
    delete: remove,
    deleteMany: removeMany,
    flush: async () => {
      await packs.flush()
      await pending?.flush()
    },
    close: async () => {
      await packs.close()
      await pending?.flush()
    },
  }
}
