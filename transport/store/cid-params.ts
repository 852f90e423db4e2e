import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import type { ImporterOptions } from 'ipfs-unixfs-importer'

/** UnixFS chunk size of `ipfs add` (256 KiB), in bytes. */
export const CHUNK_SIZE = 262_144

/** Most links per node in the balanced DAG of `ipfs add`. */
export const MAX_LINKS_PER_NODE = 174

/** Importer settings giving the CIDs of `ipfs add --cid-version=1 --raw-leaves` (SPEC §4). */
export function importerOptions(): ImporterOptions {
  return {
    cidVersion: 1,
    rawLeaves: true,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: CHUNK_SIZE }),
    layout: balanced({ maxChildrenPerNode: MAX_LINKS_PER_NODE }),
    // Bounds the bytes held while hashing and writing: 16 chunks of 256 KiB.
    blockWriteConcurrency: 16,
  }
}

/** The same parameters spelled as `ipfs add` RPC options (kubo and js-ipfs). */
export const IPFS_ADD_OPTIONS = {
  cidVersion: 1,
  rawLeaves: true,
  chunker: `size-${CHUNK_SIZE}`,
  trickle: false,
  hashAlg: 'sha2-256',
} as const
