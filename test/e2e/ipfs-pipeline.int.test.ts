import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { catalogue, parsePipelineDocument, readManifest } from '../../core/domain/index.ts'
import { implementations } from '../../tasks/index.ts'
import { createIpfsStore } from '../../transport/store/index.ts'
import { type IpfsDaemon, isIpfsInstalled, startIpfsDaemon } from '../../transport/store/ipfs-node/daemon.ts'
import { startInProcess, type InProcess } from '../harness/in-process.ts'
import { serveArcticZips } from '../support/zip-server.ts'

const installed = isIpfsInstalled()
if (!installed) {
  if (process.env.CI)
    throw new Error('js-ipfs is not installed but CI is set: run transport/store/ipfs-node/setup.sh first')
  console.warn(
    '\n**********\nSKIPPED: IPFS pipeline test — run transport/store/ipfs-node/setup.sh\n**********\n',
  )
}

async function localObjects(daemon: IpfsDaemon): Promise<number> {
  const response = await fetch(`${daemon.apiUrl}/api/v0/repo/stat`, { method: 'POST' })
  return Number(((await response.json()) as { NumObjects: number | string }).NumObjects)
}

describe.skipIf(!installed)('workers on two IPFS nodes', () => {
  let a: IpfsDaemon
  let b: IpfsDaemon
  let env: InProcess
  let zips: Awaited<ReturnType<typeof serveArcticZips>>

  beforeAll(async () => {
    ;[a, b] = await Promise.all([startIpfsDaemon(), startIpfsDaemon()])
    const connected = await fetch(`${b.apiUrl}/api/v0/swarm/connect?arg=${encodeURIComponent(a.peerAddr)}`, {
      method: 'POST',
    })
    expect(connected.ok).toBe(true)
    zips = await serveArcticZips()
    const storeA = createIpfsStore({ url: a.apiUrl, findTimeoutMs: 20_000 })
    env = startInProcess({
      store: storeA,
      implementations,
      workers: 0,
      settings: { leaseMs: 20_000, shardSize: 10 },
    })
    env.addWorker(['a'], 'worker-on-a', storeA)
    env.addWorker(['b'], 'worker-on-b', createIpfsStore({ url: b.apiUrl, findTimeoutMs: 20_000 }))
  }, 120_000)
  afterAll(async () => {
    await env?.stop()
    await zips?.close()
    await Promise.all([a?.stop(), b?.stop()])
  })

  test('a worker on node A fetches the zip; a worker on node B extracts MFCCs, fetching the WAVs through B', async () => {
    const before = await localObjects(b)
    const { id } = await env.monitor.submit(
      parsePipelineDocument(
        [
          { call: 'FETCH_FESTVOX', args: [`${zips.url}/cmu_us_test_arctic-0.90-release.zip`], lane: 'a' },
          { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000], lane: 'b' },
        ],
        catalogue,
      ),
    )
    await env.waitForEnd([id], 120_000)
    const detail = env.queries.detail(id)
    expect(detail.status, detail.error ?? '').toBe('succeeded')
    expect(detail.tasks.map((t) => t.worker)).toEqual(['worker-on-a', 'worker-on-b'])
    const manifest = await readManifest(env.store, detail.output)
    expect(manifest.items).toHaveLength(4)
    expect(manifest.items.every((i) => i.mfcc && i.frames! > 0)).toBe(true)
    // B now holds the WAVs it read (fetched from A through the swarm) and the .npy files it wrote.
    expect(await localObjects(b)).toBeGreaterThanOrEqual(before + 8)
  }, 180_000)
})
