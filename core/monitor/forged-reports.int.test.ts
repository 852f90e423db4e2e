import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import {
  catalogue,
  type Cid,
  makeOrderId,
  parsePipelineDocument,
  type PipelineId,
  PROTOCOL_VERSION,
  type StoredEvent,
  type TaskOrder,
} from '../domain/index.ts'
import { createMemoryStore } from '../../transport/memory/index.ts'
import {
  createZmqMonitorTransport,
  createZmqWorkerTransport,
  type CurveKeyPair,
  generateCurveKeyPair,
  type ZmqWorkerTransport,
} from '../../transport/zmq/index.ts'
import { createWorkerHost, type WorkerHost } from '../../tasks/worker/index.ts'
import { utilityTasks } from '../../tasks/utility/index.ts'
import { loadClusterIdentity } from './cluster-identity.ts'
import { Monitor } from './engine/monitor.ts'
import { monitorSettings } from './settings.ts'
import { openDatabase } from './sqlite/open-database.ts'
import { EventLog } from './event-log.ts'

const MADE_UP = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku' as Cid
const closers: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

/** A real monitor on loopback TCP (real SQLite file, memory store), with CURVE when given keys. */
async function startMonitor(curve?: { server: CurveKeyPair; allow: string[] }) {
  const dir = mkdtempSync(join(tmpdir(), 'banzai-forged-'))
  closers.push(() => rmSync(dir, { recursive: true, force: true }))
  const db = openDatabase(join(dir, 'banzai.db'))
  closers.push(() => {
    db.close()
  })
  const store = createMemoryStore()
  const transport = await createZmqMonitorTransport({
    port: 0,
    lanes: ['default'],
    ...(curve ? { curve: { ...curve.server, allow: curve.allow } } : {}),
  })
  closers.push(() => transport.close())
  const identity = loadClusterIdentity(db, dir)
  const monitor = new Monitor({
    db,
    store,
    transport,
    catalogue,
    identity,
    settings: monitorSettings({
      leaseMs: 1_000,
      retry: { maxAttempts: 5, backoffBaseMs: 20, backoffMaxMs: 100 },
    }),
    onError: () => {},
  })
  monitor.start()
  closers.push(() => monitor.stop())
  const log = new EventLog(db)
  const events = (id: string): StoredEvent[] => log.readPipeline(id, 0, 10_000)
  const endpoints = transport.endpoints()
  const connect = (keys?: CurveKeyPair): ZmqWorkerTransport => {
    const t = createZmqWorkerTransport({
      endpoints,
      lanes: ['default'],
      lingerMs: 100,
      ...(keys && curve ? { curve: { ...keys, serverKey: curve.server.publicKey } } : {}),
    })
    closers.push(() => t.close())
    return t
  }
  const addWorker = (keys?: CurveKeyPair): WorkerHost => {
    const host = createWorkerHost({
      transport: connect(keys),
      implementations: utilityTasks,
      store,
      settings: { dataDir: dir, allowedRoots: [], workerId: 'real' },
      lanes: ['default'],
      slots: 1,
      heartbeatMs: 100,
      host: 'test',
      pid: process.pid,
      cluster: identity.cluster,
      ...(keys ? { curveKey: keys.publicKey } : {}),
    })
    host.start()
    closers.push(() => host.stop({ graceful: false }))
    return host
  }
  return { monitor, store, identity, events, connect, addWorker }
}

async function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function heartbeat(t: ZmqWorkerTransport, workerId: string, cluster: string): NodeJS.Timeout {
  const beat = () =>
    t.send({
      type: 'Heartbeat',
      v: PROTOCOL_VERSION,
      cluster,
      workerId,
      host: 'rogue',
      pid: 1,
      lanes: ['default'],
      slots: 1,
      inFlight: [],
      // Addressed dispatch (v2): a worker advertises where it takes orders.
      ...(t.endpoint() ? { endpoint: t.endpoint() } : {}),
    })
  beat()
  const timer = setInterval(beat, 100)
  closers.push(() => clearInterval(timer))
  return timer
}

const ignoredReasons = (events: StoredEvent[]) =>
  events.flatMap((e) => (e.type === 'UnitReportIgnored' ? [e.data.reason] : []))

describe('orders authenticate their reports (SPEC §5)', () => {
  test('without CURVE: a rogue worker that registers itself and answers a made-up CID cannot make the pipeline succeed; forged reports are ignored', async () => {
    const env = await startMonitor()
    // The rogue learns the cluster as anyone can (GET /api/transport) and registers itself.
    const rogue = env.connect()
    const timer = heartbeat(rogue, 'rogue', env.identity.cluster)
    const taken: TaskOrder[] = []
    rogue.onOrder((order) => {
      taken.push(order)
      const base = { v: PROTOCOL_VERSION, cluster: env.identity.cluster, orderId: order.orderId } as const
      const echoed = { ...base, workerId: 'rogue', ...(order.token ? { token: order.token } : {}) }
      rogue.send({ type: 'OrderReceived', ...echoed })
      rogue.send({ type: 'OrderSucceeded', ...echoed, output: MADE_UP, refs: [], stats: {} })
    })
    const doc = { cache: false, tasks: [{ call: 'SLEEP', args: [1_500] }] }
    const { id } = await env.monitor.submit(parsePipelineDocument(doc, catalogue))
    await until(
      () => env.events(id).some((e) => e.type === 'UnitFailed' && e.data.error === 'output not in store'),
      'the made-up CID to fail its unit',
    )
    expect(taken[0]?.token).toMatch(/^[0-9a-f]{64}$/)
    expect(env.events(id).some((e) => e.type === 'UnitSucceeded')).toBe(false)
    clearInterval(timer)
    await rogue.close()

    env.addWorker()
    await until(
      () => env.events(id).some((e) => e.type === 'UnitStarted' && e.data.worker === 'real'),
      'the real worker to start the unit',
    )
    const started = env.events(id).findLast((e) => e.type === 'UnitStarted')!
    const attempt = started.type === 'UnitStarted' ? started.data.attempt : 0
    // Order ids are predictable: a forger names the running unit, without its token, or from another cluster.
    const orderId = makeOrderId({ pipelineId: id as PipelineId, step: 0, shard: 0, attempt })
    const forger = env.connect()
    const forged = {
      v: PROTOCOL_VERSION,
      orderId,
      workerId: 'real',
      error: 'forged',
      retryable: false,
    } as const
    forger.send({ type: 'OrderFailed', ...forged, cluster: env.identity.cluster })
    forger.send({ type: 'OrderFailed', ...forged, cluster: 'c-elsewhere', token: 'ab'.repeat(32) })
    forger.send({ type: 'OrderFailed', ...forged, cluster: env.identity.cluster, token: 'ab'.repeat(32) })
    await until(() => ignoredReasons(env.events(id)).length >= 3, 'the forged reports to be ignored')

    await until(() => env.events(id).some((e) => e.type === 'PipelineSucceeded'), 'the pipeline to succeed')
    const events = env.events(id)
    const reasons = ignoredReasons(events)
    expect(reasons.filter((r) => r.includes('wrong or missing order token'))).toHaveLength(2)
    expect(reasons.filter((r) => r.includes('another cluster (c-elsewhere)'))).toHaveLength(1)
    expect(events.some((e) => e.type === 'UnitFailed' && e.data.error === 'forged')).toBe(false)
    const output = events.find((e) => e.type === 'PipelineSucceeded')
    expect(output?.type === 'PipelineSucceeded' && (await env.store.has(output.data.output))).toBe(true)
    // No token is ever written into the log.
    expect(JSON.stringify(events)).not.toContain(taken[0]!.token!)
    expect(env.monitor.stats().transportDropped.refused_token).toBeGreaterThanOrEqual(2)
  })

  test('with CURVE and an allow-list: an unlisted key never registers; a listed one still needs the token', async () => {
    const server = generateCurveKeyPair()
    const listed = generateCurveKeyPair()
    const outsider = generateCurveKeyPair()
    const env = await startMonitor({ server, allow: [listed.publicKey] })
    const stranger = env.connect(outsider)
    heartbeat(stranger, 'stranger', env.identity.cluster)
    const doc = { cache: false, tasks: [{ call: 'SLEEP', args: [1_200] }] }
    const { id } = await env.monitor.submit(parsePipelineDocument(doc, catalogue))
    env.addWorker(listed)
    await until(() => env.events(id).some((e) => e.type === 'UnitStarted'), 'the unit to start')
    const orderId = makeOrderId({ pipelineId: id as PipelineId, step: 0, shard: 0, attempt: 1 })
    const forged = {
      v: PROTOCOL_VERSION,
      orderId,
      workerId: 'real',
      error: 'forged',
      retryable: false,
    } as const
    stranger.send({ type: 'OrderFailed', ...forged, cluster: env.identity.cluster })
    const insider = env.connect(listed)
    insider.send({ type: 'OrderFailed', ...forged, cluster: env.identity.cluster, token: '00'.repeat(32) })
    await until(() => env.events(id).some((e) => e.type === 'PipelineSucceeded'), 'the pipeline to succeed')
    const events = env.events(id)
    expect(env.monitor.workers().map((w) => w.id)).not.toContain('stranger')
    expect(events.some((e) => e.type === 'UnitStarted' && e.data.worker === 'stranger')).toBe(false)
    expect(events.some((e) => e.type === 'UnitFailed')).toBe(false)
    const reasons = ignoredReasons(events)
    expect(reasons).toHaveLength(1) // the insider's; the stranger's never reached the monitor
    expect(reasons[0]).toContain('wrong or missing order token')
  })
})
