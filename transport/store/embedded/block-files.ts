import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { BanzaiError, NotFoundError } from '../../../core/domain/index.ts'
import { removeFile, writeFileAtomic, writeFileDeferred, writeFileDeferredAsync } from './atomic-file.ts'
import { fileIdentity, type PendingSyncs } from './pending-syncs.ts'

/** Blocks of at least this size (bytes) are written on the thread pool, smaller ones inline: 64 KiB. */
const ASYNC_WRITE_BYTES = 65_536

/** Told of every block a put needs (before it is looked for) and of those it wrote. */
export interface BlockSeen {
  needed(cid: CID): void
  written(cid: CID): void
}

function isEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b)
}

async function toBytes(
  value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<Uint8Array> {
  if (value instanceof Uint8Array) return value
  const parts: Uint8Array[] = []
  for await (const part of value) parts.push(part)
  return Buffer.concat(parts)
}

/** A missing block's file is a NotFoundError; any other read error is passed on. */
function describeReadError(cid: CID, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT')
    return new NotFoundError(`block ${cid.toString()} is not in the store`)
  return error
}

/** Checks bytes against the CID they were read for: `corrupt` unless they hash to it (sha2-256 only). */
export function verifyBlock(cid: CID, bytes: Uint8Array): Uint8Array {
  if (cid.multihash.code !== sha256.code) {
    throw new BanzaiError(
      'corrupt',
      `block ${cid.toString()} uses hash 0x${cid.multihash.code.toString(16)}, only sha2-256 is supported`,
    )
  }
  const digest = createHash('sha256').update(bytes).digest()
  if (!isEqual(digest, cid.multihash.digest)) {
    throw new BanzaiError('corrupt', `block ${cid.toString()} is corrupt: its bytes do not hash to its CID`)
  }
  return bytes
}

/**
 * The blocks of the embedded store, one file each at `blocks/<2 chars>/<cid>` (the two
 * characters before the last, as Kubo's flatfs shards). Speaks the `put`/`get` of the
 * blockstore interface that ipfs-unixfs-importer and -exporter use; every read is re-hashed.
 * With `pending`, writes are renamed into place unsynced and noted there (made durable by its
 * flush); without, each write is fsynced before its rename.
 */
export class BlockFiles {
  constructor(
    private readonly blocksDir: string,
    private readonly tmpDir: string,
    private readonly pending: PendingSyncs | null = null,
  ) {}

  /** Path of a block's file. */
  pathOf(cid: CID): string {
    const name = cid.toString()
    return join(this.blocksDir, name.slice(-3, -1), name)
  }

  /** Whether a block's file exists with the expected size (bytes); its content is checked on read. */
  async hasBlock(cid: CID, size?: number): Promise<boolean> {
    const info = await stat(this.pathOf(cid)).catch(() => null)
    return info !== null && info.isFile() && (size === undefined || info.size === size)
  }

  /** Stores a block unless a file of its size is already there (`force`: write anyway); true if written. */
  async putBlock(cid: CID, bytes: Uint8Array, force = false): Promise<boolean> {
    const path = this.pathOf(cid)
    if (this.pending === null) {
      if (!force && (await this.hasBlock(cid, bytes.byteLength))) return false
      await writeFileAtomic(path, bytes, this.tmpDir)
      return true
    }
    const info = statSync(path, { throwIfNoEntry: false })
    if (!force && info?.isFile() === true && info.size === bytes.byteLength) {
      // Present already, maybe written by another process and not yet synced: this flush covers it too.
      this.pending.noteExisting(path, fileIdentity(info))
      return false
    }
    this.pending.note(path)
    if (bytes.byteLength >= ASYNC_WRITE_BYTES) await writeFileDeferredAsync(path, bytes, this.tmpDir)
    else writeFileDeferred(path, bytes, this.tmpDir)
    return true
  }

  /** Reads a block and checks it against its CID: NotFoundError if absent, `corrupt` if altered. */
  async readBlock(cid: CID): Promise<Uint8Array> {
    let bytes: Uint8Array
    try {
      bytes = await readFile(this.pathOf(cid))
    } catch (error) {
      throw describeReadError(cid, error)
    }
    return verifyBlock(cid, bytes)
  }

  /**
   * readBlock in one synchronous call, for a blob that is one raw block (256 KiB at most): a
   * read from the page cache costs less than the four thread-pool round trips of `readFile`.
   */
  readBlockSync(cid: CID): Uint8Array {
    let bytes: Uint8Array
    try {
      bytes = readFileSync(this.pathOf(cid))
    } catch (error) {
      throw describeReadError(cid, error)
    }
    return verifyBlock(cid, bytes)
  }

  /** Removes a block's file (gone already is fine). */
  async removeBlock(cid: CID): Promise<void> {
    await removeFile(this.pathOf(cid))
  }

  /** A blockstore for the importer, reporting each block it stores to `seen`. */
  writerFor(seen: BlockSeen): {
    put(cid: CID, value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<CID>
  } {
    return {
      put: async (cid, value) => {
        seen.needed(cid)
        if (await this.putBlock(cid, await toBytes(value))) seen.written(cid)
        return cid
      },
    }
  }

  /** A blockstore for the exporter: each `get` yields one verified block. */
  reader(): { get(cid: CID): AsyncGenerator<Uint8Array> } {
    const readBlock = (cid: CID): Promise<Uint8Array> => this.readBlock(cid)
    return {
      get: async function* (cid: CID) {
        yield await readBlock(cid)
      },
    }
  }
}
