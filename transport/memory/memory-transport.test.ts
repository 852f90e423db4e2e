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
  it('deals orders of a lane round-robin to the workers serving it, asynchronously', async () => {
    const { monitor, connectWorker } = createMemoryTransport()
    const a = inbox<TaskOrder>()
    const b = inbox<TaskOrder>()
    const gpu = inbox<TaskOrder>()
    connectWorker(['default']).onOrder(a.push)
    connectWorker(['default']).onOrder(b.push)
    connectWorker(['gpu']).onOrder(gpu.push)
    for (let i = 1; i <= 4; i++) monitor.sendOrder('default', order(i))
    expect(a.items).toHaveLength(0) // never delivered synchronously
    await a.count(2)
    await b.count(2)
    expect(a.items.map((o) => o.attempt)).toEqual([1, 3])
    expect(b.items.map((o) => o.attempt)).toEqual([2, 4])
    expect(gpu.items).toHaveLength(0)
  })

  it('holds orders until a worker serves the lane, skips paused workers, broadcasts control', async () => {
    const { monitor, connectWorker } = createMemoryTransport()
    monitor.sendOrder('default', order(1))
    const paused = connectWorker(['default'])
    const pausedInbox = inbox<TaskOrder>()
    paused.pauseOrders()
    paused.onOrder(pausedInbox.push)
    const live = inbox<TaskOrder>()
    const worker = connectWorker(['default'])
    worker.onOrder(live.push)
    await live.count(1)
    const controls = [inbox<unknown>(), inbox<unknown>()]
    paused.onControl(controls[0]!.push)
    worker.onControl(controls[1]!.push)
    monitor.publish({ type: 'Hello', lanes: ['default'] })
    await Promise.all(controls.map((c) => c.count(1)))
    expect(pausedInbox.items).toHaveLength(0)
    const reports = inbox<WorkerMessage>()
    monitor.onMessage(reports.push)
    worker.send({ type: 'OrderReceived', v: PROTOCOL_VERSION, orderId: order(1).orderId, workerId: 'w' })
    await reports.count(1)
    expect(monitor.dropped()).toEqual({})
  })
})
