import type { KuboRPCClient } from 'kubo-rpc-client'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'

/** How a node is asked about its local blocks: every call carries these. */
export interface LocalQuery {
  /** Kubo honours `offline`: a missing block is an immediate error, never a network search. */
  offline: true
  /** Backstop for nodes that ignore `offline` (js-ipfs): ms, then the answer is "not local". */
  timeout: number
}

function keyOf(cid: CID): string {
  return Buffer.from(cid.multihash.bytes).toString('base64')
}

function isNotPinned(error: unknown): boolean {
  return error instanceof Error && /not pinned/i.test(error.message)
}

/** Whether the node holds a recursive pin on `cid` (then the whole DAG is local). */
export async function isPinnedRecursively(
  ipfs: KuboRPCClient,
  cid: CID,
  query: LocalQuery,
): Promise<boolean> {
  try {
    for await (const pin of ipfs.pin.ls({ paths: [cid], type: 'recursive', ...query })) {
      if (pin.cid.equals(cid)) return true
    }
    return false
  } catch (error) {
    if (isNotPinned(error)) return false
    throw error
  }
}

/**
 * Whether every block of the DAG under `cid` is in the node's own blockstore. Reads only
 * blocks listed by `refs local` (compared by multihash, as blockstores key them), so no
 * request can start a network search: js-ipfs ignores `offline` and would fetch from peers.
 */
export async function isDagLocal(ipfs: KuboRPCClient, cid: CID, query: LocalQuery): Promise<boolean> {
  const local = new Set<string>()
  for await (const entry of ipfs.refs.local(query)) {
    if (entry.err) throw entry.err
    local.add(keyOf(CID.parse(entry.ref)))
  }
  const pending = [cid]
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (!local.has(keyOf(next))) return false
    if (next.code === raw.code) continue
    for await (const link of ipfs.refs(next, { recursive: false, ...query })) {
      if (link.err) throw link.err
      pending.push(CID.parse(link.ref))
    }
  }
  return true
}
