import { exporter } from 'ipfs-unixfs-exporter'
import type { UnixFSEntry } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { BanzaiError } from '../../../core/domain/index.ts'
import type { ByteRange } from '../range.ts'
import type { BlockFiles } from './block-files.ts'

/** How many sibling nodes are read ahead of the one being yielded. */
const READ_AHEAD = 2

type ReadBlockstore = ReturnType<BlockFiles['reader']>

/** Decodes one node of a file DAG (root, intermediate node or raw leaf) with the exporter. */
export async function loadNode(blocks: ReadBlockstore, cid: CID): Promise<UnixFSEntry> {
  let entry: UnixFSEntry
  try {
    entry = await exporter(cid, blocks)
  } catch (error) {
    // The bytes hashed right (checked on read) but do not decode: a node we cannot have written.
    if (error instanceof BanzaiError) throw error
    throw new BanzaiError(
      'corrupt',
      `${cid.toString()} is not a readable UnixFS node: ${(error as Error).message}`,
    )
  }
  if (entry.type !== 'file' && entry.type !== 'raw') {
    throw new BanzaiError('corrupt', `${cid.toString()} is a UnixFS ${entry.type}, not a file`)
  }
  return entry
}

function slice(data: Uint8Array, at: number, range: ByteRange): Uint8Array | null {
  const from = Math.max(range.offset - at, 0)
  const to = Math.min(range.end - at, data.byteLength)
  return to > from ? data.subarray(from, to) : null
}

/** Starts reading a node ahead of time; a failure surfaces when (and only if) it is awaited. */
function prefetch(blocks: ReadBlockstore, cid: CID): Promise<UnixFSEntry> {
  const pending = loadNode(blocks, cid)
  pending.catch(() => undefined)
  return pending
}

/**
 * Streams the bytes of a file DAG within `range`, depth first, pulling one block at a time
 * (plus a small read-ahead): memory stays at a few blocks whatever the blob's size, and a
 * slow consumer slows the reads. The exporter's own `content()` pushes without backpressure.
 */
export async function* readDag(
  blocks: ReadBlockstore,
  node: UnixFSEntry,
  at: number,
  range: ByteRange,
): AsyncGenerator<Uint8Array> {
  if (node.type === 'raw') {
    const part = slice(node.node, at, range)
    if (part) yield part
    return
  }
  if (node.type !== 'file') throw new BanzaiError('corrupt', `${node.cid.toString()} is not a file node`)
  let position = at
  const data = node.unixfs.data
  if (data && data.byteLength > 0) {
    const part = slice(data, position, range)
    if (part) yield part
    position += data.byteLength
  }
  const links = node.node.Links
  const sizes = node.unixfs.blockSizes
  if (links.length !== sizes.length)
    throw new BanzaiError(
      'corrupt',
      `${node.cid.toString()} has ${links.length} links but ${sizes.length} block sizes`,
    )
  const wanted: Array<{ cid: CID; at: number }> = []
  for (const [i, link] of links.entries()) {
    const size = Number(sizes[i])
    if (position + size > range.offset && position < range.end) wanted.push({ cid: link.Hash, at: position })
    position += size
  }
  const pending = wanted.slice(0, READ_AHEAD).map((child) => prefetch(blocks, child.cid))
  for (const [i, child] of wanted.entries()) {
    const next = wanted[i + READ_AHEAD]
    if (next) pending.push(prefetch(blocks, next.cid))
    const loaded = pending.shift()
    if (!loaded) break
    yield* readDag(blocks, await loaded, child.at, range)
  }
}

/**
 * Lists every block CID of a file DAG, reading (and verifying) the nodes that have links and
 * only checking that raw leaves exist. Throws if a block is missing or a node corrupt.
 */
export async function listDagBlocks(files: BlockFiles, cid: CID, out: CID[] = []): Promise<CID[]> {
  out.push(cid)
  if (cid.code === raw.code) {
    if (!(await files.hasBlock(cid))) throw new BanzaiError('not_found', `block ${cid.toString()} is missing`)
    return out
  }
  const node = await loadNode(files.reader(), cid)
  if (node.type === 'file') {
    for (const link of node.node.Links) await listDagBlocks(files, link.Hash, out)
  }
  return out
}
