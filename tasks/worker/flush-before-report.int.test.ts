import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import {
  catalogue,
  makeOrderId,
  type PipelineId,
  PROTOCOL_VERSION,
  type Store,
  type TaskImplementation,
  type WorkerMessage,
} from '../../core/domain/index.ts'
import { createMemoryTransport } from '../../transport/memory/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'
import { utilityTasks } from '../utility/index.ts'
import { createWorkerHost, type WorkerHost } from './index.ts'

const dirs: string[] = []
const hosts: WorkerHost[] = []
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop({ graceful: false })))
})
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

/** Runs one NOOP order whose task puts 50 small blobs, on a batch-synced embedded store wrapped by `wrap`. */
async function runOrder(wrap: (store: Store, journal: string[]) => Store): Promise<{
  journal: string[]
  final: WorkerMessage
}> {
  const dir = await mkdtemp(join(tmpdir(), 'banzai-flush-'))
  dirs.push(dir)
  const journal: string[] = []
  const store = wrap(await createEmbeddedStore({ dir, sync: 'batch' }), journal)
  const writer: TaskImplementation = {
    kind: 'whole',
    async run(_input, _args, ctx) {
      const puts = []
      for (let i = 0; i < 50; i++) puts.push(await ctx.store.put(Buffer.from(`blob ${i}`)))
      journal.push('task done')
      return { output: puts[0]!.cid, refs: puts.slice(1).map((p) => p.cid) }
    },
  }
  const transport = createMemoryTransport()
  const final = new Promise<WorkerMessage>((resolve) =>
    transport.monitor.onMessage((message) => {
      if (message.type === 'OrderSucceeded' || message.type === 'OrderFailed') {
        journal.push(message.type)
        resolve(message)
      }
    }),
  )
  const link = transport.connectWorker(['default'])
  transport.monitor.admitWorker('w1', link.endpoint())
  const host = createWorkerHost({
    transport: link,
    implementations: { ...utilityTasks, NOOP: writer },
    catalogue,
    store,
    settings: { dataDir: dir, allowedRoots: [], workerId: 'w1' },
    lanes: ['default'],
    slots: 1,
    heartbeatMs: 1_000,
    host: 'test-host',
    pid: 4242,
  })
  hosts.push(host)
  host.start()
  const unit = { pipelineId: 'p1' as PipelineId, step: 0, shard: 0, attempt: 1 }
  transport.monitor.sendOrder('w1', {
    type: 'TaskOrder',
    v: PROTOCOL_VERSION,
    orderId: makeOrderId(unit),
    ...unit,
    call: 'NOOP',
    version: catalogue.get('NOOP')?.version ?? 1,
    args: [],
    input: null,
    deadline: new Date(Date.now() + 3_600_000).toISOString(),
  })
  return { journal, final: await final }
}

describe('worker: the store is flushed before a unit is reported', () => {
  it('reports OrderSucceeded only once flush() has resolved, with every blob readable', async () => {
    let listedAtFlush = -1
    const { journal, final } = await runOrder((store, journal) => ({
      ...store,
      flush: async () => {
        journal.push('flush start')
        // Every blob is already readable (renamed into place) when the flush begins.
        listedAtFlush = 0
        for await (const _ of store.list()) listedAtFlush++
        await store.flush()
        journal.push('flush done')
      },
    }))
    expect(final.type).toBe('OrderSucceeded')
    expect(journal).toEqual(['task done', 'flush start', 'flush done', 'OrderSucceeded'])
    expect(listedAtFlush).toBe(50)
  })

  it('fails the unit when the flush fails: no success report names unsynced blobs', async () => {
    const { journal, final } = await runOrder((store) => ({
      ...store,
      flush: async () => {
        throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })
      },
    }))
    expect(journal).toEqual(['task done', 'OrderFailed'])
    expect(final).toMatchObject({ type: 'OrderFailed', error: 'EIO: i/o error, fsync' })
  })
})
