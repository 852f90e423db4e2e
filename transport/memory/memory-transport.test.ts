import { describe, expect, it } from 'vitest'
import {
  makeOrderId,
  type PipelineId,
  PROTOCOL_VERSION,
  type TaskOrder,
  type WorkerMessage,
} from '../../core/domain/index.ts'
import { createMemoryTransport } from './index.ts'

function order(attempt: number): TaskOrder {
  const unit = { pipelineId: 'p' as PipelineId, step: 0, shard: 0, attempt }
  return {
    type: 'TaskOrder',
    v: PROTOCOL_VERSION,
    orderId: makeOrderId(unit),
    ...unit,
    call: 'NOOP',
    version: 1,
    args: [],
    input: null,
    deadline: new Date().toISOString(),
  }
}

function inbox<T>() {
  const items: T[] = []
  let wake: (() => void) | undefined
  return {
    items,
    push: (item: T) => {
      items.push(item)
      wake?.()
    },
    async count(n: number) {
      while (items.length < n) await new Promise<void>((resolve) => (wake = resolve))
    },
  }
}

describe('memory transport', () => {
  it('sends each order to the admitted worker it names alone, asynchronously', async () => {
    const { monitor, connectWorker } = createMemoryTransport()
    const a = inbox<TaskOrder>()
    const b = inbox<TaskOrder>()
    const endA = connectWorker(['default'])
    const endB = connectWorker(['default'])
    endA.onOrder(a.push)
    endB.onOrder(b.push)
    expect(endA.endpoint()).not.toBe(endB.endpoint())
    monitor.admitWorker('a', endA.endpoint())
    monitor.admitWorker('b', endB.endpoint())
    for (const [i, to] of ['a', 'b', 'b', 'b'].entries()) monitor.sendOrder(to, order(i + 1))
    monitor.sendOrder('unknown', order(9))
    expect(a.items).toHaveLength(0) // never delivered synchronously
    await a.count(1)
    await b.count(3)
    expect(a.items.map((o) => o.attempt)).toEqual([1])
    expect(b.items.map((o) => o.attempt)).toEqual([2, 3, 4])
  })

  it('holds orders until the worker listens, reports a crashed worker gone, broadcasts control', async () => {
    const { monitor, connectWorker } = createMemoryTransport()
    const worker = connectWorker(['default'])
    monitor.admitWorker('w', worker.endpoint())
    monitor.sendOrder('w', order(1))
    const live = inbox<TaskOrder>()
    worker.onOrder(live.push)
    await live.count(1)
    const controls = inbox<unknown>()
    worker.onControl(controls.push)
    monitor.publish({ type: 'Hello', lanes: ['default'] })
    await controls.count(1)
    const reports = inbox<WorkerMessage>()
    monitor.onMessage(reports.push)
    worker.send({ type: 'OrderReceived', v: PROTOCOL_VERSION, orderId: order(1).orderId, workerId: 'w' })
    await reports.count(1)
    expect(monitor.dropped()).toEqual({})
    const gone = inbox<string>()
    monitor.onWorkerGone(gone.push)
    worker.simulateCrash()
    await gone.count(1)
    expect(gone.items).toEqual(['w'])
  })
})
