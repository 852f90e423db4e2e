import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBytes, type Store } from '../../core/domain/index.ts'
import { createEmbeddedStore, createIpfsStore } from './index.ts'
import { type IpfsDaemon, isIpfsInstalled, startIpfsDaemon } from './ipfs-node/daemon.ts'
import { digestStream, patternedBytes, readCidVectors, vectorContent } from './patterned-bytes.ts'
import { describeStoreContract } from './store-contract.ts'

const installed = isIpfsInstalled()
if (!installed) {
  if (process.env.CI)
    throw new Error('js-ipfs is not installed but CI is set: run transport/store/ipfs-node/setup.sh first')
  console.warn('\n**********\nSKIPPED: IPFS tests — run transport/store/ipfs-node/setup.sh\n**********\n')
}

/** Test timeouts: the node must answer local questions fast; finding a blob may take 2 s at most. */
const OPTIONS = { findTimeoutMs: 2_000, localTimeoutMs: 2_000 }
const SMALL_VECTOR_BYTES = 4 * 1_048_576

describe.skipIf(!installed)('IPFS store against js-ipfs', () => {
  let daemon: IpfsDaemon

  beforeAll(async () => {
    daemon = await startIpfsDaemon()
  })
  afterAll(async () => {
    await daemon?.stop()
  })

  describeStoreContract('ipfs', async () => createIpfsStore({ url: daemon.apiUrl, ...OPTIONS }))

  it('batches small puts made together: each blob gets its own CID, pin and root entry', async () => {
    const store = createIpfsStore({ url: daemon.apiUrl, ...OPTIONS })
    const embedded = await createEmbeddedStore({ dir: await mkdtemp(join(tmpdir(), 'banzai-ipfs-batch-')) })
    const blobs = Array.from({ length: 20 }, (_, k) =>
      Uint8Array.from({ length: 1_000 + 997 * k }, (_, i) => (i * 31 + k) % 256),
    )
    const puts = await Promise.all(blobs.map((bytes) => store.put(bytes)))
    const listed = new Set<string>()
    for await (const cid of store.list()) listed.add(cid)
    for (const [k, bytes] of blobs.entries()) {
      // The CID of a single `ipfs add --cid-version=1 --raw-leaves` of that blob alone.
      expect(puts[k], `blob ${k}`).toEqual(await embedded.put(bytes))
      expect(await readBytes(store, puts[k]!.cid)).toEqual(bytes)
      expect(listed.has(puts[k]!.cid)).toBe(true)
    }
    // Pinned one by one: deleting one blob leaves the others of its batch whole.
    await store.delete(puts[0]!.cid)
    expect(await store.has(puts[0]!.cid)).toBe(false)
    expect(await store.has(puts[1]!.cid)).toBe(true)
  })

  it('gives the CIDs of the vectors (small ones)', async () => {
    const store = createIpfsStore({ url: daemon.apiUrl, ...OPTIONS })
    const { vectors } = await readCidVectors()
    for (const vector of vectors.filter((v) => v.bytes <= SMALL_VECTOR_BYTES)) {
      expect(await store.put(vectorContent(vector)), vector.name).toEqual({
        cid: vector.cid,
        size: vector.bytes,
      })
    }
  })
})

describe.skipIf(!installed)('two IPFS nodes connected by their swarm', () => {
  let a: IpfsDaemon
  let b: IpfsDaemon

  beforeAll(async () => {
    ;[a, b] = await Promise.all([startIpfsDaemon(), startIpfsDaemon()])
  })
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
  })

  it('fetches through the swarm a blob only the other node has', async () => {
    const storeA: Store = createIpfsStore({ url: a.apiUrl, ...OPTIONS })
    const storeB: Store = createIpfsStore({ url: b.apiUrl, ...OPTIONS, findTimeoutMs: 20_000 })
    const size = 5 * 1_048_576
    const { cid } = await storeA.put(patternedBytes(size))
    const response = await fetch(`${b.apiUrl}/api/v0/swarm/connect?arg=${encodeURIComponent(a.peerAddr)}`, {
      method: 'POST',
    })
    expect(response.ok, await response.text()).toBe(true)
    const started = Date.now()
    expect(await storeB.has(cid)).toBe(false)
    expect(Date.now() - started).toBeLessThan(OPTIONS.localTimeoutMs + 1_000)
    expect(await storeB.stat(cid)).toBeNull()
    const fetched = await digestStream(storeB.get(cid))
    expect(fetched).toMatchObject({ bytes: size, sha256: (await digestStream(patternedBytes(size))).sha256 })
    expect(await storeB.has(cid)).toBe(true)
  })
})
