import { Push } from 'zeromq'
import { afterEach, describe, expect, it } from 'vitest'
import {
  makeOrderId,
  type PipelineId,
  PROTOCOL_VERSION,
  type TaskOrder,
  type WorkerMessage,
} from '../../core/domain/index.ts'
import {
  createZmqMonitorTransport,
  createZmqWorkerTransport,
  encodeMessage,
  generateCurveKeyPair,
  type ZmqMonitorOptions,
  type ZmqMonitorTransport,
  type ZmqWorkerOptions,
  type ZmqWorkerTransport,
} from './index.ts'

const opened: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const t of opened.splice(0).reverse()) await t.close()
})

async function monitorOn(options: Partial<ZmqMonitorOptions> = {}): Promise<ZmqMonitorTransport> {
  const monitor = await createZmqMonitorTransport({ port: 0, lanes: ['default', 'gpu'], ...options })
  opened.push(monitor)
  return monitor
}

/** A monitor on four consecutive free ports (tries a few random bases). */
async function monitorOnFreePorts(): Promise<ZmqMonitorTransport> {
  for (let tries = 0; ; tries++) {
    try {
      return await monitorOn({ port: 20_000 + Math.floor(Math.random() * 30_000) })
    } catch (error) {
      if (tries >= 20) throw error
    }
  }
}

function workerOn(monitor: ZmqMonitorTransport, options: Partial<ZmqWorkerOptions> = {}): ZmqWorkerTransport {
  const worker = createZmqWorkerTransport({
    endpoints: monitor.endpoints(),
    lanes: ['default'],
    lingerMs: 200,
    ...options,
  })
  opened.push(worker)
  return worker
}

let attempts = 0
function order(lane = 'default'): TaskOrder {
  const unit = { pipelineId: `p-${lane}` as PipelineId, step: 0, shard: 0, attempt: ++attempts }
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

/** Resolves once `test` holds, checking after each turn of the event loop (no fixed sleep). */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 5))
}

function collect<T>(register: (handler: (value: T) => void) => void): T[] {
  const items: T[] = []
  register((value) => items.push(value))
  return items
}

describe('ZeroMQ transport', () => {
  it('binds consecutive ports: reports, then control; announces its lanes', async () => {
    const monitor = await monitorOnFreePorts()
    const base = Number(monitor.endpoints().reports.split(':').at(-1))
    expect(monitor.endpoints()).toEqual({
      reports: `tcp://127.0.0.1:${base}`,
      control: `tcp://127.0.0.1:${base + 1}`,
      lanes: ['default', 'gpu'],
      curveServerKey: null,
    })
  })

  it('carries orders, reports and control messages between a monitor and a worker', async () => {
    const monitor = await monitorOn()
    const worker = workerOn(monitor)
    const orders = collect<TaskOrder>((h) => worker.onOrder(h))
    const reports = collect<WorkerMessage>((h) => monitor.onMessage(h))
    const controls = collect((h) => worker.onControl(h))
    await worker.connected()
    expect(worker.endpoint()).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/)
    monitor.admitWorker('w1', worker.endpoint())
    const sent = order()
    monitor.sendOrder('w1', sent)
    await until(() => orders.length === 1)
    expect(orders[0]).toEqual(sent)
    worker.send({ type: 'OrderReceived', v: PROTOCOL_VERSION, orderId: sent.orderId, workerId: 'w1' })
    await until(() => reports.length === 1)
    expect(reports[0]).toEqual({
      type: 'OrderReceived',
      v: PROTOCOL_VERSION,
      orderId: sent.orderId,
      workerId: 'w1',
    })
    // PUB/SUB drops what is published before the subscription arrives: publish until heard.
    while (controls.length === 0) {
      monitor.publish({ type: 'Ack', orderIds: [sent.orderId] })
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(controls[0]).toEqual({ type: 'Ack', orderIds: [sent.orderId] })
    expect(monitor.dropped()).toEqual({})
  })

  it('sends each order to the worker it is addressed to alone', async () => {
    const monitor = await monitorOn()
    const workers = [workerOn(monitor), workerOn(monitor), workerOn(monitor)]
    const got = workers.map((w) => collect<TaskOrder>((h) => w.onOrder(h)))
    await Promise.all(workers.map((w) => w.connected()))
    for (const [i, w] of workers.entries()) monitor.admitWorker(`w${i}`, w.endpoint())
    const plan = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    for (const to of plan) monitor.sendOrder(`w${to}`, order())
    await until(() => got[0]!.length + got[1]!.length === 10)
    expect(got.map((g) => g.length)).toEqual([7, 3, 0])
  })

  it("reports a worker gone as soon as its link drops (the socket monitor's disconnect)", async () => {
    const monitor = await monitorOn()
    const worker = workerOn(monitor)
    await worker.connected()
    const gone = collect<string>((h) => monitor.onWorkerGone(h))
    const orders = collect<TaskOrder>((h) => worker.onOrder(h))
    monitor.admitWorker('w1', worker.endpoint())
    monitor.sendOrder('w1', order())
    await until(() => orders.length === 1)
    await worker.close()
    opened.splice(opened.indexOf(worker), 1)
    await until(() => gone.length === 1)
    expect(gone).toEqual(['w1'])
  })

  it('with CURVE and an allow list, serves a listed worker and refuses an unlisted key, a wrong server key and a plain socket', async () => {
    const server = generateCurveKeyPair()
    const listed = generateCurveKeyPair()
    const unlisted = generateCurveKeyPair()
    const monitor = await monitorOn({ curve: { ...server, allow: [listed.publicKey] } })
    expect(monitor.endpoints().curveServerKey).toBe(server.publicKey)
    const good = workerOn(monitor, { curve: { ...listed, serverKey: server.publicKey } })
    const goodOrders = collect<TaskOrder>((h) => good.onOrder(h))
    await good.connected()
    monitor.admitWorker('good', good.endpoint(), listed.publicKey)
    const refusals = (): number => Object.values(monitor.refusedPeers()).reduce((sum, n) => sum + n, 0)
    const rogues: ZmqWorkerTransport[] = []
    for (const options of [
      { curve: { ...unlisted, serverKey: server.publicKey } },
      { curve: { ...listed, serverKey: unlisted.publicKey } },
      { endpoints: { ...monitor.endpoints(), curveServerKey: null } },
    ]) {
      const before = refusals()
      rogues.push(workerOn(monitor, options))
      // Each rogue has tried (both its sockets: reports, control) and been refused before the orders go out.
      await until(() => refusals() >= before + 2)
    }
    const rogueOrders = rogues.map((r) => collect<TaskOrder>((h) => r.onOrder(h)))
    for (let i = 0; i < 12; i++) monitor.sendOrder('good', order())
    await until(() => goodOrders.length === 12)
    expect(rogueOrders.map((o) => o.length)).toEqual([0, 0, 0])
    // The worker's own order socket is a CURVE server admitting only the monitor's key: a
    // client with another key is refused there.
    const intruder = generateCurveKeyPair()
    const push = new Push({
      linger: 0,
      curveServerKey: listed.publicKey,
      curveSecretKey: intruder.secretKey,
      curvePublicKey: intruder.publicKey,
    })
    let intruderRefused = false
    push.events.on('handshake:error:auth', () => (intruderRefused = true))
    push.events.on('handshake:error:protocol', () => (intruderRefused = true))
    push.connect(good.endpoint())
    void push.send(Buffer.from(JSON.stringify(order()))).catch(() => {})
    await until(() => intruderRefused)
    push.close()
    expect(goodOrders).toHaveLength(12)
  })

  it('survives 10,000 random and truncated frames on the reports socket, counts them, and keeps serving', async () => {
    const monitor = await monitorOn()
    const reports = collect<WorkerMessage>((h) => monitor.onMessage(h))
    const fuzzer = new Push({ sendHighWaterMark: 100_000, linger: 0 })
    fuzzer.connect(monitor.endpoints().reports)
    const valid = encodeMessage({
      type: 'Heartbeat',
      v: PROTOCOL_VERSION,
      workerId: 'w',
      host: 'h',
      pid: 1,
      lanes: ['default'],
      slots: 1,
      inFlight: [],
    })
    let seed = 42
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed % n
    }
    const frames: (Buffer | Buffer[])[] = []
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 4
      if (kind === 0) frames.push(Buffer.from(Array.from({ length: random(200) }, () => random(256))))
      else if (kind === 1) frames.push(valid.subarray(0, random(valid.length - 1)))
      else if (kind === 2)
        frames.push(
          Buffer.from(
            JSON.stringify({
              type: ['Heartbeat', 'OrderFailed', 'Nope', 7][random(4)],
              v: random(3),
              x: random(9),
            }),
          ),
        )
      else frames.push([valid, valid.subarray(0, random(valid.length))])
    }
    for (const frame of frames) await fuzzer.send(frame)
    const total = (): number => Object.values(monitor.dropped()).reduce((sum, n) => sum + n, 0)
    await until(() => total() === 10_000)
    expect(reports).toHaveLength(0)
    expect(Object.keys(monitor.dropped()).sort()).toEqual(expect.arrayContaining(['multipart', 'not-json']))
    fuzzer.close()

    const worker = workerOn(monitor)
    const orders = collect<TaskOrder>((h) => worker.onOrder(h))
    await worker.connected()
    worker.send(JSON.parse(valid.toString()) as WorkerMessage)
    monitor.admitWorker('w', worker.endpoint())
    monitor.sendOrder('w', order())
    await until(() => reports.length === 1 && orders.length === 1)
    expect(total()).toBe(10_000)
  })

  it('hands on the reports of a batch (one multipart message) in order, and drops a batch with a bad frame whole', async () => {
    const monitor = await monitorOn()
    const reports = collect<WorkerMessage>((h) => monitor.onMessage(h))
    const raw = new Push({ linger: 0 })
    raw.connect(monitor.endpoints().reports)
    const beat = (host: string): Buffer =>
      Buffer.from(
        encodeMessage({
          type: 'Heartbeat',
          v: PROTOCOL_VERSION,
          workerId: 'w',
          host,
          pid: 1,
          lanes: ['default'],
          slots: 1,
          inFlight: [],
        }),
      )
    await raw.send([beat('a'), beat('b'), beat('c')])
    await raw.send([beat('x'), Buffer.from('{"type":"Heartbeat"')])
    await raw.send(beat('d'))
    await until(() => reports.length === 4)
    expect(reports.map((r) => (r.type === 'Heartbeat' ? r.host : r.type))).toEqual(['a', 'b', 'c', 'd'])
    expect(monitor.dropped()).toEqual({ multipart: 1 })
    raw.close()
  })

  it('disconnects a peer that sends a frame over 1 MiB instead of buffering it, and keeps serving', async () => {
    const monitor = await monitorOn()
    const reports = collect<WorkerMessage>((h) => monitor.onMessage(h))
    const hostile = new Push({ linger: 0 })
    let disconnected = false
    hostile.events.on('disconnect', () => (disconnected = true))
    hostile.connect(monitor.endpoints().reports)
    await hostile.send(Buffer.alloc(8 * 1024 * 1024, 0x7b))
    const deadline = Date.now() + 5_000
    await until(() => disconnected || Date.now() > deadline)
    expect(disconnected, 'the monitor should drop the peer of an oversized frame').toBe(true)
    hostile.close()
    const worker = workerOn(monitor)
    await worker.connected()
    worker.send({
      type: 'Heartbeat',
      v: PROTOCOL_VERSION,
      workerId: 'w',
      host: 'after',
      pid: 1,
      lanes: ['default'],
      slots: 1,
      inFlight: [],
    })
    await until(() => reports.length === 1)
    expect(reports[0]).toMatchObject({ type: 'Heartbeat', host: 'after' })
  })

  it('sends a burst of reports as batches: every one arrives, in order', async () => {
    const monitor = await monitorOn()
    const reports = collect<WorkerMessage>((h) => monitor.onMessage(h))
    const worker = workerOn(monitor)
    await worker.connected()
    const burst = 1_000
    for (let i = 0; i < burst; i++)
      worker.send({
        type: 'OrderProgress',
        v: PROTOCOL_VERSION,
        orderId: makeOrderId({ pipelineId: 'p-burst' as PipelineId, step: 0, shard: 0, attempt: 1 }),
        workerId: 'w',
        done: i,
        total: burst,
        unit: 'items',
      })
    await until(() => reports.filter((r) => r.type === 'OrderProgress').length === burst)
    const done = reports.flatMap((r) => (r.type === 'OrderProgress' ? [r.done] : []))
    expect(done).toEqual(Array.from({ length: burst }, (_, i) => i))
    expect(monitor.dropped()).toEqual({})
  })

  it('tells the worker when its link comes back after the monitor restarts on the same ports', async () => {
    const first = await monitorOnFreePorts()
    const port = Number(first.endpoints().reports.split(':').at(-1))
    const worker = workerOn(first)
    let reconnects = 0
    worker.onReconnect(() => reconnects++)
    await worker.connected()
    reconnects = 0 // binding its order socket counts as one (a heartbeat with the endpoint goes out)
    await first.close()
    opened.splice(opened.indexOf(first), 1)
    const second = await monitorOn({ port })
    const reports = collect<WorkerMessage>((h) => second.onMessage(h))
    await until(() => reconnects === 1)
    worker.send({ type: 'OrderCancelled', v: PROTOCOL_VERSION, orderId: order().orderId, workerId: 'w' })
    await until(() => reports.length === 1)
  })
})
