import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { StoredEvent } from '../../core/domain/index.ts'
import { type IpfsDaemon, isIpfsInstalled, startIpfsDaemon } from '../../transport/store/ipfs-node/daemon.ts'
import {
  freePorts,
  type MonitorProcess,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../support/banzai-processes.ts'
import type { Child } from '../support/child-process.ts'
import { serveArcticZips } from '../support/zip-server.ts'

// Real processes: a `banzai monitor` in IPFS mode and two `banzai worker`s, each on its own js-ipfs node.
const installed = isIpfsInstalled()
if (!installed) {
  if (process.env.CI)
    throw new Error('js-ipfs is not installed but CI is set: run transport/store/ipfs-node/setup.sh first')
  console.warn(
    '\n**********\nSKIPPED: IPFS locality test — run transport/store/ipfs-node/setup.sh\n**********\n',
  )
}

const children: Child[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.kill('SIGKILL')
    await c.exited
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** One `UnitDispatched` of the MFCC step (step 1): which shard went to which worker, and why. */
interface Dispatch {
  seq: number
  shard: number
  attempt: number
  worker: string
  reason: string
}

function mfccDispatches(events: StoredEvent[]): Dispatch[] {
  return events.flatMap((e) =>
    e.type === 'UnitDispatched' && e.data.step === 1
      ? [
          {
            seq: e.seq,
            shard: e.data.shard,
            attempt: e.data.attempt,
            worker: e.data.worker ?? '',
            reason: e.data.reason ?? '',
          },
        ]
      : [],
  )
}

describe.skipIf(!installed)('locality: two IPFS nodes, one worker process on each', () => {
  let a: IpfsDaemon
  let b: IpfsDaemon
  let zips: Awaited<ReturnType<typeof serveArcticZips>>

  beforeAll(async () => {
    ;[a, b] = await Promise.all([startIpfsDaemon(), startIpfsDaemon()])
    const connected = await fetch(`${b.apiUrl}/api/v0/swarm/connect?arg=${encodeURIComponent(a.peerAddr)}`, {
      method: 'POST',
    })
    expect(connected.ok).toBe(true)
    zips = await serveArcticZips()
  }, 120_000)
  afterAll(async () => {
    await zips?.close()
    await Promise.all([a?.stop(), b?.stop()])
  })

  /** A monitor on node A (IPFS mode: locality on); worker A (lanes a+default, 1 slot) on A, worker B (default, 4 slots) on B. */
  async function cluster(
    shardSize: number,
  ): Promise<{ monitor: MonitorProcess; workerA: string; workerB: string }> {
    const data = tempDataDir()
    dirs.push(data)
    const [port, zmqPort] = [await freePorts(1), await freePorts(5)]
    const monitor = await startMonitorProcess({
      data,
      port,
      zmqPort,
      lanes: ['default', 'a'],
      leaseMs: 20_000,
      shardSize,
      env: { BANZAI_IPFS_API: a.apiUrl },
    })
    children.push(monitor.child)
    const start = async (node: IpfsDaemon, lanes: string[], slots: number): Promise<string> => {
      const own = tempDataDir()
      dirs.push(own)
      const child = await startWorkerProcess(monitor, {
        data: own,
        lanes,
        slots,
        env: { BANZAI_IPFS_API: node.apiUrl },
      })
      children.push(child)
      const listed = (await monitor.api.workers()).find((w) => w.pid === child.process.pid)
      if (!listed) throw new Error('worker not listed')
      return listed.id
    }
    const [workerA, workerB] = [await start(a, ['a', 'default'], 1), await start(b, ['default'], 4)]
    return { monitor, workerA, workerB }
  }

  /** FETCH_FESTVOX pinned to worker A (lane a), then EXTRACT_MFCC on the lane both workers serve. */
  const fetchThenMfcc = (url: string) => ({
    name: 'locality',
    cache: false,
    tasks: [
      { call: 'FETCH_FESTVOX', args: [url], lane: 'a' },
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
    ],
  })

  test('one MFCC shard over items fetched on A runs on A (reason locality), though B has more free slots', async () => {
    const { monitor, workerA, workerB } = await cluster(10)
    const id = await monitor.api.submit(fetchThenMfcc(`${zips.url}/cmu_us_test_arctic-0.90-release.zip`))
    const [detail] = await monitor.api.waitForEnd([id], 120_000)
    expect(detail?.status, detail?.error ?? '').toBe('succeeded')
    const events = await monitor.api.events(id)
    const fetchDispatch = events.find((e) => e.type === 'UnitDispatched' && e.data.step === 0)
    expect(fetchDispatch?.type === 'UnitDispatched' && fetchDispatch.data.worker).toBe(workerA)
    const dispatches = mfccDispatches(events)
    // Without locality B (4 free slots against A's 1) would win: `free` picks the most free slots.
    expect(dispatches.map((d) => [d.shard, d.worker, d.reason])).toEqual([[0, workerA, 'locality']])
    expect(workerB).not.toBe(workerA)
    expect(detail?.tasks[1]?.units.map((u) => [u.worker, u.reason])).toEqual([[workerA, 'locality']])
  }, 180_000)

  test('more shards than A has slots: the first runs on A by locality, the rest spill to B (free) at once', async () => {
    const { monitor, workerA, workerB } = await cluster(1)
    const id = await monitor.api.submit(fetchThenMfcc(`${zips.url}/cmu_us_test_arctic-0.90-release.zip`))
    // The end status is not asserted: the monitor checks outputs on its own node (A) only, so B's
    // are refused today ('output not in store') and retried; this test is about placement.
    await monitor.api.waitForEnd([id], 120_000)
    const events = await monitor.api.events(id)
    // First attempts: how dispatch placed the 4 shards while both workers were free.
    const first = mfccDispatches(events).filter((d) => d.attempt === 1)
    expect(first.map((d) => [d.shard, d.worker, d.reason])).toEqual([
      [0, workerA, 'locality'],
      [1, workerB, 'free'],
      [2, workerB, 'free'],
      [3, workerB, 'free'],
    ])
    // Spilled rather than waited: all four were dispatched before any MFCC shard finished.
    const firstEnd = events.find(
      (e) => (e.type === 'UnitSucceeded' || e.type === 'UnitFailed') && e.data.step === 1,
    )
    expect(firstEnd).toBeDefined()
    expect(first.every((d) => d.seq < (firstEnd?.seq ?? 0))).toBe(true)
    // The detail says which worker ran each shard, and why: its latest attempt's dispatch.
    const latest = new Map(mfccDispatches(events).map((d) => [d.shard, d]))
    const detail = await monitor.api.detail(id)
    expect(detail.tasks[1]?.units.map((u) => [u.shard, u.worker, u.reason])).toEqual(
      [0, 1, 2, 3].map((shard) => [shard, latest.get(shard)?.worker, latest.get(shard)?.reason]),
    )
  }, 180_000)
})
