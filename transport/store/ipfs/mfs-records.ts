import type { KuboRPCClient } from 'kubo-rpc-client'
import type { Cid } from '../../../core/domain/index.ts'
import { Cid as CidSchema } from '../../../core/domain/index.ts'

/** MFS folder naming the blobs this store put (one entry per root CID). */
export const ROOTS_DIR = '/banzai/roots'
/** MFS folder naming the blobs pinned through the store (SPEC §4 GC protection). */
export const PINS_DIR = '/banzai/pins'

function isMissing(error: unknown): boolean {
  return error instanceof Error && /does not exist|not found|no link named/i.test(error.message)
}

function isAlreadyThere(error: unknown): boolean {
  return error instanceof Error && /already (has entry|exists)/i.test(error.message)
}

/** The MFS folders each client has made already: one `files/mkdir` per folder, not one per entry. */
const madeDirs = new WeakMap<KuboRPCClient, Set<string>>()

async function copyInto(ipfs: KuboRPCClient, dir: string, cid: Cid): Promise<void> {
  try {
    await ipfs.files.cp(`/ipfs/${cid}`, `${dir}/${cid}`)
  } catch (error) {
    if (!isAlreadyThere(error)) throw error
  }
}

/** Names `cid` in an MFS folder (idempotent); MFS entries also keep blocks from the node's GC. */
export async function addEntry(ipfs: KuboRPCClient, dir: string, cid: Cid): Promise<void> {
  let made = madeDirs.get(ipfs)
  if (made === undefined) madeDirs.set(ipfs, (made = new Set()))
  if (made.has(dir)) {
    try {
      return await copyInto(ipfs, dir, cid)
    } catch (error) {
      // The folder was removed behind our back (another client, `files rm`): make it again below.
      if (!isMissing(error)) throw error
      made.delete(dir)
    }
  }
  await ipfs.files.mkdir(dir, { parents: true })
  made.add(dir)
  await copyInto(ipfs, dir, cid)
}

/** Removes the entry of `cid` from an MFS folder (idempotent). */
export async function removeEntry(ipfs: KuboRPCClient, dir: string, cid: Cid): Promise<void> {
  try {
    await ipfs.files.rm(`${dir}/${cid}`)
  } catch (error) {
    if (!isMissing(error)) throw error
  }
}

/** Whether an MFS folder names `cid`. */
export async function hasEntry(ipfs: KuboRPCClient, dir: string, cid: Cid): Promise<boolean> {
  try {
    await ipfs.files.stat(`${dir}/${cid}`)
    return true
  } catch (error) {
    if (isMissing(error)) return false
    throw error
  }
}

/** The CIDs an MFS folder names (none when it does not exist yet). */
export async function* listEntries(ipfs: KuboRPCClient, dir: string): AsyncGenerator<Cid> {
  try {
    for await (const entry of ipfs.files.ls(dir)) {
      const cid = CidSchema.safeParse(entry.name)
      if (cid.success) yield cid.data
    }
  } catch (error) {
    if (!isMissing(error)) throw error
  }
}
