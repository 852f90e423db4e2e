// Records an event log for fixtures/logs/: runs pipelines that exercise every event type
// (success, retries, lease expiry, cancel, cache hit, single flight, shards, timeout) and
// writes the events (JSON lines) and the projections they produced.
// Usage: node --import tsx test/harness/record-fixture-log.ts fixtures/logs/NAME
import { catalogue, type Cid, parsePipelineDocument, type TaskOrder } from '../../core/domain/index.ts'
import { startInProcess } from './in-process.ts'
import { writeRecordedLog } from './write-recorded-log.ts'

const out = process.argv[2]
if (!out) throw new Error('usage: record-fixture-log.ts OUT_PREFIX')
const env = startInProcess({ workers: 0, settings: { shardSize: 4 } })
const submit = async (doc: unknown) => (await env.monitor.submit(parsePipelineDocument(doc, catalogue))).id
const ids: string[] = []

// A worker that takes an order, then falls silent: its lease expires, another worker runs the
// unit, and its late report is recorded as ignored.
const silent = env.transport.connectWorker(['default'])
const cluster = env.monitor.identity.cluster
const taken: TaskOrder[] = []
silent.onOrder((order) => {
  taken.push(order)
  silent.send({
    type: 'OrderReceived',
    v: 2,
    cluster,
    orderId: order.orderId,
    token: order.token,
    workerId: 'silent',
  })
})
const lost = await submit({ name: 'lost-lease', cache: false, tasks: [{ call: 'SLEEP', args: [300] }] })
ids.push(lost)
silent.send({
  type: 'Heartbeat',
  v: 2,
  cluster,
  workerId: 'silent',
  host: 'test',
  pid: 1,
  lanes: ['default'],
  slots: 1,
  inFlight: [],
})
await env.waitUntil(
  () => env.queries.events(lost, 0, 100).events.some((e) => e.type === 'UnitRetryScheduled'),
  'the lease to expire',
)
env.addWorker()
env.addWorker()
await env.waitUntil(
  () =>
    env.queries.detail(lost).tasks[0]!.attempt === 2 &&
    env.queries.detail(lost).tasks[0]!.status === 'running',
  'attempt 2 to run',
)
const stale = taken[0]!
silent.send({
  type: 'OrderSucceeded',
  v: 2,
  cluster,
  orderId: stale.orderId,
  token: stale.token,
  workerId: 'silent',
  output: stale.input ?? ('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku' as Cid),
  refs: [],
  stats: {},
})
await env.waitUntil(
  () => env.queries.events(lost, 0, 100).events.some((e) => e.type === 'UnitReportIgnored'),
  'the stale report to be ignored',
)
await silent.close()
ids.push(
  await submit({
    name: 'shards',
    tasks: [{ call: 'MAKE_DATASET', args: [10] }, { call: 'ECHO_ITEMS', args: [1] }, { call: 'NOOP' }],
  }),
)
await env.waitForEnd(ids)
ids.push(
  await submit({
    name: 'cached',
    tasks: [{ call: 'MAKE_DATASET', args: [10] }, { call: 'ECHO_ITEMS', args: [1] }, { call: 'NOOP' }],
  }),
)
const joined = [await submit([{ call: 'SLEEP', args: [80] }]), await submit([{ call: 'SLEEP', args: [80] }])]
ids.push(...joined)
ids.push(await submit({ name: 'flaky', tasks: [{ call: 'FAIL', args: ['flaky', true] }] }))
ids.push(
  await submit({ name: 'broken', tasks: [{ call: 'NOOP' }, { call: 'FAIL', args: ['broken', false] }] }),
)
ids.push(await submit({ name: 'slow', tasks: [{ call: 'SLEEP', args: [60_000], timeoutMs: 200 }] }))
const cancelled = await submit({
  name: 'cancelled',
  tasks: [{ call: 'SLEEP', args: [60_000] }, { call: 'NOOP' }],
})
ids.push(cancelled)
await env.waitUntil(() => env.queries.detail(cancelled).tasks[0]!.status === 'running', 'the sleep to run')
await env.monitor.cancel(cancelled, 'recorded cancel')
await env.waitForEnd(ids, 60_000)
writeRecordedLog(env, ids, out)
await env.stop()
