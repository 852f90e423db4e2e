import { afterEach, describe, expect, it } from 'vitest'
import {
  catalogue,
  type Cid,
  DatasetManifest,
  makeOrderId,
  type PipelineId,
  PROTOCOL_VERSION,
  type TaskImplementation,
  type TaskOrder,
  type WorkerMessage,
} from '../../core/domain/index.ts'
import {
  createMemoryStore,
  createMemoryTransport,
  type MemoryWorkerTransport,
} from '../../transport/memory/index.ts'
import { readJson } from '../documents.ts'
import { utilityTasks } from '../utility/index.ts'
import { createWorkerHost, type WorkerHost, type WorkerHostOptions } from './index.ts'

type Of<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>

/** A scripted monitor: records every message and lets a test wait for the next one it wants. */
function setUp(overrides: Partial<WorkerHostOptions> = {}) {
  const transport = createMemoryTransport()
  const store = createMemoryStore()
  const worker: MemoryWorkerTransport = transport.connectWorker(['default'])
  transport.monitor.admitWorker('w1', worker.endpoint())
  const seen: WorkerMessage[] = []
  let waiters: { test: (m: WorkerMessage) => boolean; resolve: (m: WorkerMessage) => void }[] = []
  transport.monitor.onMessage((message) => {
    seen.push(message)
    const ready = waiters.filter((w) => w.test(message))
    waiters = waiters.filter((w) => !w.test(message))
    for (const w of ready) w.resolve(message)
  })
  function next<T extends WorkerMessage['type']>(
    type: T,
    test: (m: Of<T>) => boolean = () => true,
  ): Promise<Of<T>> {
    return new Promise((resolve) => {
      waiters.push({ test: (m) => m.type === type && test(m as Of<T>), resolve: (m) => resolve(m as Of<T>) })
    })
  }
  const host = createWorkerHost({
    transport: worker,
    implementations: utilityTasks,
    catalogue,
    store,
    settings: { dataDir: '.', allowedRoots: [], workerId: 'w1' },
    lanes: ['default'],
    slots: 2,
    heartbeatMs: 1_000,
    host: 'test-host',
    pid: 4242,
    ...overrides,
  })
  hosts.push(host)
  host.start()
  let attempt = 0
  function order(call: string, args: unknown[], extra: Partial<TaskOrder> = {}): TaskOrder {
    attempt++
    const unit = { pipelineId: 'p1' as PipelineId, step: 0, shard: 0, attempt }
    const o: TaskOrder = {
      type: 'TaskOrder',
      v: PROTOCOL_VERSION,
      orderId: makeOrderId(unit),
      ...unit,
      call,
      version: catalogue.get(call)?.version ?? 1,
      args,
      input: null,
      deadline: new Date(Date.now() + 3_600_000).toISOString(),
      ...extra,
    }
    transport.monitor.sendOrder('w1', o)
    return o
  }
  return { transport, store, worker, host, seen, next, order }
}

const hosts: WorkerHost[] = []
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop({ graceful: false })))
})

describe('worker host', () => {
  it('runs an order: OrderReceived, then OrderSucceeded with the output', async () => {
    const t = setUp()
    const received = t.next('OrderReceived')
    const succeeded = t.next('OrderSucceeded')
    const o = t.order('NOOP', [])
    expect((await received).orderId).toBe(o.orderId)
    const report = await succeeded
    expect(report.workerId).toBe('w1')
    expect(await readJson(t.store, report.output)).toEqual({})
  })

  it('reports a failure with its message and whether it is retryable', async () => {
    const t = setUp()
    const plain = t.next('OrderFailed', (m) => m.error === 'boom')
    t.order('FAIL', ['boom'])
    expect((await plain).retryable).toBe(false)
    const retry = t.next('OrderFailed', (m) => m.error === 'flaky')
    t.order('FAIL', ['flaky', true])
    expect((await retry).retryable).toBe(true)
  })

  it('refuses an order for another task version, retryably, naming both versions', async () => {
    const t = setUp()
    const failed = t.next('OrderFailed')
    t.order('NOOP', [], { version: 7 })
    const report = await failed
    expect(report.retryable).toBe(true)
    expect(report.error).toMatch(/version 7.*version 1/)
    expect(t.seen.some((m) => m.type === 'OrderReceived')).toBe(false)
  })

  it('hands an order back unstarted when every slot is busy', async () => {
    const t = setUp({ slots: 1 })
    const received = t.next('OrderReceived')
    t.order('SLEEP', [60_000])
    await received
    const handedBack = t.next('OrderCancelled')
    const second = t.order('NOOP', [])
    const report = await handedBack
    expect(report.orderId).toBe(second.orderId)
    expect(t.seen.filter((m) => m.type === 'OrderReceived')).toHaveLength(1)
  })

  it('cancels a running order on CancelOrder and reports OrderCancelled', async () => {
    const t = setUp()
    const received = t.next('OrderReceived')
    const o = t.order('SLEEP', [60_000])
    await received
    const cancelled = t.next('OrderCancelled')
    const started = performance.now()
    t.transport.monitor.publish({ type: 'CancelOrder', orderId: o.orderId })
    expect((await cancelled).orderId).toBe(o.orderId)
    // SLEEP listens to its signal: well under the 2 s abort grace.
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(t.host.inFlight()).toEqual([])
  })

  it('runs a perItem shard, reusing known items, and counts both in stats', async () => {
    const t = setUp()
    const made = t.next('OrderSucceeded')
    t.order('MAKE_DATASET', [5])
    const dataset = (await made).output
    const done = t.next('OrderSucceeded')
    t.order('ECHO_ITEMS', [], {
      input: dataset,
      items: { start: 1, end: 4 },
      known: { '2': { echo: 'elsewhere' } },
    })
    const report = await done
    expect(report.stats).toEqual({ items: 3, computed: 2, reused: 1 })
    const shard = DatasetManifest.parse(await readJson(t.store, report.output))
    expect(shard.items.map((i) => [i.id, i['echo']])).toEqual([
      ['synthetic/item-00002', 'w1'],
      ['synthetic/item-00003', 'elsewhere'],
      ['synthetic/item-00004', 'w1'],
    ])
    expect(report.refs.sort()).toEqual(shard.items.map((i) => i.audio).sort())
    const progress = t.seen.filter(
      (m): m is Of<'OrderProgress'> => m.type === 'OrderProgress' && m.orderId === report.orderId,
    )
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3, unit: 'items' })
  })

  it('re-sends a final report until it is acknowledged, and after a reconnect', async () => {
    const t = setUp({ heartbeatMs: 10, resendEveryBeats: 2 })
    const o = t.order('NOOP', [])
    await t.next('OrderSucceeded')
    await t.next('OrderSucceeded') // the periodic re-send
    t.transport.monitor.publish({ type: 'Ack', orderIds: [o.orderId] })
    await t.next('Heartbeat')
    const count = t.seen.filter((m) => m.type === 'OrderSucceeded').length
    for (let i = 0; i < 6; i++) await t.next('Heartbeat')
    expect(t.seen.filter((m) => m.type === 'OrderSucceeded').length).toBe(count)

    const o2 = t.order('FAIL', ['x'])
    await t.next('OrderFailed')
    const again = t.next('OrderFailed', (m) => m.orderId === o2.orderId)
    t.worker.simulateReconnect()
    expect((await again).error).toBe('x')
  })

  it('answers a repeated order with its kept final report, without running it again', async () => {
    const t = setUp()
    const o = t.order('NOOP', [])
    const first = await t.next('OrderSucceeded')
    const repeat = t.next('OrderSucceeded')
    t.transport.monitor.sendOrder('w1', o)
    expect((await repeat).output).toBe(first.output)
    expect(t.seen.filter((m) => m.type === 'OrderReceived')).toHaveLength(1)
  })

  it('sends heartbeats naming the worker, its lanes, slots, orders in flight and its order endpoint', async () => {
    const t = setUp({ heartbeatMs: 20 })
    const received = t.next('OrderReceived')
    const o = t.order('SLEEP', [60_000])
    await received
    const beat = await t.next('Heartbeat', (m) => m.inFlight.length > 0)
    expect(beat).toEqual({
      type: 'Heartbeat',
      v: PROTOCOL_VERSION,
      workerId: 'w1',
      host: 'test-host',
      pid: 4242,
      lanes: ['default'],
      slots: 2,
      inFlight: [o.orderId],
      endpoint: 'memory://1',
    })
  })

  it('sends task log lines with the next report, and the last progress before the final report', async () => {
    const chatty: TaskImplementation = {
      kind: 'whole',
      async run(_input, _args, ctx) {
        ctx.log.info('hello from the task')
        for (let i = 1; i <= 1_000; i++) ctx.progress(i, 1_000, 'steps')
        return { output: (await ctx.store.put(new Uint8Array([1]))).cid, refs: [] as Cid[] }
      },
    }
    const t = setUp({ implementations: { ...utilityTasks, NOOP: chatty } })
    const done = t.next('OrderSucceeded')
    t.order('NOOP', [])
    await done
    const progress = t.seen.filter((m) => m.type === 'OrderProgress')
    // Throttled: the first reading goes at once, the last one before the final report.
    expect(progress.length).toBeLessThanOrEqual(2)
    expect(progress.at(-1)).toMatchObject({ done: 1_000, total: 1_000 })
    const lines = t.seen.flatMap((m) => ('logs' in m ? (m.logs ?? []) : []))
    expect(lines.map((l) => l.msg)).toContain('hello from the task')
  })

  it('stops gracefully: aborts what outlives the grace period, reports it cancelled, waits for the ack', async () => {
    const t = setUp({ graceMs: 30, ackWaitMs: 5_000 })
    const received = t.next('OrderReceived')
    const o = t.order('SLEEP', [60_000])
    await received
    const cancelled = t.next('OrderCancelled')
    const stopped = t.host.stop({ graceful: true })
    expect((await cancelled).orderId).toBe(o.orderId)
    const idle = t.seen.filter((m): m is Of<'Heartbeat'> => m.type === 'Heartbeat').at(-1)
    expect(idle?.slots).toBe(0)
    t.transport.monitor.publish({ type: 'Ack', orderIds: [o.orderId] })
    await stopped
  })
})
