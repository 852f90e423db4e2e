import { afterEach, describe, expect, it } from 'vitest'
import {
  type ControlMessage,
  makeOrderId,
  type MonitorTransport,
  type PipelineId,
  PROTOCOL_VERSION,
  type TaskOrder,
  type WorkerMessage,
  type WorkerTransport,
} from '../../core/domain/index.ts'
import { createMemoryTransport } from '../memory/index.ts'
import { createZmqMonitorTransport, createZmqWorkerTransport } from './index.ts'

/** One implementation of the transport ports, as the contract sees it. */
interface Link {
  monitor: MonitorTransport
  /** A worker end on these lanes, resolved once it can receive. */
  connect(lanes: string[]): Promise<WorkerTransport>
}

const implementations: [string, () => Promise<Link>][] = [
  [
    'memory',
    async () => {
      const memory = createMemoryTransport()
      return { monitor: memory.monitor, connect: async (lanes) => memory.connectWorker(lanes) }
    },
  ],
  [
    'zeromq over TCP',
    async () => {
      const monitor = await createZmqMonitorTransport({ port: 0, lanes: ['default', 'gpu'] })
      return {
        monitor,
        async connect(lanes) {
          const worker = createZmqWorkerTransport({ endpoints: monitor.endpoints(), lanes, lingerMs: 200 })
          await worker.connected()
          return worker
        },
      }
    },
  ],
]

const closing: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const c of closing.splice(0).reverse()) await c.close()
})

let attempts = 0
function order(): TaskOrder {
  const unit = { pipelineId: 'c' as PipelineId, step: 0, shard: 0, attempt: ++attempts }
  return {
    type: 'TaskOrder',
    v: PROTOCOL_VERSION,
    orderId: makeOrderId(unit),
    ...unit,
    call: 'NOOP',
    version: 1,
    args: [],
    input: null,
    deadline: '2030-01-01T00:00:00.000Z',
  }
}

async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe.each(implementations)('transport contract: %s', (_name, make) => {
  async function setUp(lanesPerWorker: string[][]) {
    const link = await make()
    closing.push(link.monitor)
    const workers: WorkerTransport[] = []
    const orders: TaskOrder[][] = []
    const controls: ControlMessage[][] = []
    for (const lanes of lanesPerWorker) {
      const got: TaskOrder[] = []
      const heard: ControlMessage[] = []
      const worker = await link.connect(lanes)
      closing.push(worker)
      worker.onOrder((o) => got.push(o))
      worker.onControl((m) => heard.push(m))
      workers.push(worker)
      orders.push(got)
      controls.push(heard)
    }
    const reports: WorkerMessage[] = []
    link.monitor.onMessage((m) => reports.push(m))
    return { monitor: link.monitor, workers, orders, controls, reports }
  }

  it('delivers each order to the worker it is addressed to only, intact', async () => {
    const t = await setUp([['default'], ['default'], ['gpu']])
    for (const [i, w] of t.workers.entries()) t.monitor.admitWorker(`w${i}`, w.endpoint())
    const sent = Array.from({ length: 6 }, order)
    for (const [i, o] of sent.entries()) t.monitor.sendOrder(`w${i % 2}`, o)
    await until(() => t.orders[0]!.length + t.orders[1]!.length === 6)
    // Both workers of the lane get a share (exactly 3/3 only when both handshakes completed before the
    // first send); the other lane's worker gets none.
    expect(t.orders[0]!.map((o) => o.attempt)).toEqual(sent.filter((_, i) => i % 2 === 0).map((o) => o.attempt))
    expect(t.orders[1]!.length).toBe(3)
    expect(t.orders[2]).toHaveLength(0)
    expect([...t.orders[0]!, ...t.orders[1]!].sort((a, b) => a.attempt - b.attempt)).toEqual(sent)
  })

  it('carries reports to the monitor and control messages to every worker', async () => {
    const t = await setUp([['default'], ['gpu']])
    const report: WorkerMessage = {
      type: 'OrderFailed',
      v: PROTOCOL_VERSION,
      orderId: order().orderId,
      workerId: 'w',
      error: 'e',
      retryable: false,
    }
    t.workers[1]!.send(report)
    await until(() => t.reports.length === 1)
    expect(t.reports[0]).toEqual(report)
    const hello: ControlMessage = { type: 'Hello', lanes: ['default', 'gpu'] }
    // PUB/SUB may drop what is published before a subscription lands: publish until both heard it.
    while (t.controls.some((c) => c.length === 0)) {
      t.monitor.publish(hello)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    for (const heard of t.controls) expect(heard[0]).toEqual(hello)
    expect(t.monitor.dropped()).toEqual({})
  })
})
