import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import {
  makeOrderId,
  type PipelineId,
  PROTOCOL_VERSION,
  type TaskOrder,
  type WorkerMessage,
} from '../../core/domain/index.ts'
import { createZmqMonitorTransport, type ZmqMonitorTransport } from '../../transport/zmq/index.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const script = fileURLToPath(new URL('./worker-process.fixture.ts', import.meta.url))
let monitor: ZmqMonitorTransport | undefined
let child: ChildProcess | undefined

afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  await monitor?.close()
})

type Of<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>

describe('a worker process over ZeroMQ', () => {
  it('runs orders end to end, is acknowledged, and on SIGTERM cancels what runs and exits', async () => {
    monitor = await createZmqMonitorTransport({ port: 0, lanes: ['default'] })
    const m = monitor
    const seen: WorkerMessage[] = []
    const waiters: (() => void)[] = []
    // The scripted monitor acknowledges every final report, as the real one does.
    m.onMessage((message) => {
      seen.push(message)
      // Addressed dispatch: the worker's heartbeat says where its order socket is.
      if (message.type === 'Heartbeat' && message.endpoint) m.admitWorker(message.workerId, message.endpoint)
      if (
        message.type === 'OrderSucceeded' ||
        message.type === 'OrderFailed' ||
        message.type === 'OrderCancelled'
      ) {
        m.publish({ type: 'Ack', orderIds: [message.orderId] })
      }
      for (const wake of waiters.splice(0)) wake()
    })
    async function next<T extends WorkerMessage['type']>(type: T, orderId?: string): Promise<Of<T>> {
      for (;;) {
        const found = seen.find(
          (s): s is Of<T> =>
            s.type === type && (orderId === undefined || ('orderId' in s && s.orderId === orderId)),
        )
        if (found) return found
        await new Promise<void>((resolve) => waiters.push(resolve))
      }
    }
    let attempt = 0
    function send(call: string, args: unknown[], extra: Partial<TaskOrder> = {}): TaskOrder {
      const unit = { pipelineId: 'e2e' as PipelineId, step: 0, shard: 0, attempt: ++attempt }
      const order: TaskOrder = {
        type: 'TaskOrder',
        v: PROTOCOL_VERSION,
        orderId: makeOrderId(unit),
        ...unit,
        call,
        version: 1,
        args,
        input: null,
        deadline: '2030-01-01T00:00:00.000Z',
        ...extra,
      }
      m.sendOrder(`fixture-${child?.pid}`, order)
      return order
    }

    child = spawn(
      process.execPath,
      ['--import', 'tsx', script, JSON.stringify({ endpoints: m.endpoints(), graceMs: 100 })],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
    )
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)))
    const beat = await next('Heartbeat')
    expect(beat).toMatchObject({ pid: child.pid, lanes: ['default'], slots: 2, inFlight: [] })
    // Orders go once the worker has advertised its order socket (bound just after start).
    while (!seen.some((s) => s.type === 'Heartbeat' && s.endpoint))
      await new Promise<void>((resolve) => waiters.push(resolve))

    const made = send('MAKE_DATASET', [20])
    const dataset = await next('OrderSucceeded', made.orderId)
    expect(dataset.refs).toHaveLength(20)
    const echo = send('ECHO_ITEMS', [1], { input: dataset.output, known: { '3': { echo: 'memo' } } })
    expect((await next('OrderSucceeded', echo.orderId)).stats).toEqual({ items: 20, computed: 19, reused: 1 })
    const failing = send('FAIL', ['nope'])
    expect(await next('OrderFailed', failing.orderId)).toMatchObject({ error: 'nope', retryable: false })

    const sleeping = send('SLEEP', [60_000])
    await next('OrderReceived', sleeping.orderId)
    child.kill('SIGTERM')
    await next('OrderCancelled', sleeping.orderId)
    expect(await exited).toBe(0)
    expect(m.dropped()).toEqual({})
  })
})
