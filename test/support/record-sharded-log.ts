// Records fixtures/logs/v2-sharded: MAKE_DATASET → ECHO_ITEMS split into several shards, two
// identical pipelines submitted at once (the second joins the first: single flight), and a worker
// that takes an order and falls silent (its lease expires and the unit is retried elsewhere).
// Writes the events (JSON lines) and the projections they produced, which
// core/monitor/recorded-logs.int.test.ts replays.
// Usage: node --import tsx test/support/record-sharded-log.ts fixtures/logs/v2-sharded
import { catalogue, parsePipelineDocument, PROTOCOL_VERSION } from '../../core/domain/index.ts'
import { startInProcess } from '../harness/in-process.ts'
import { writeRecordedLog } from '../harness/write-recorded-log.ts'

const out = process.argv[2]
if (!out) throw new Error('usage: record-sharded-log.ts OUT_PREFIX')
const env = startInProcess({ workers: 0, settings: { shardSize: 4 } })
const submit = async (doc: unknown) => (await env.monitor.submit(parsePipelineDocument(doc, catalogue))).id
const document = {
  name: 'sharded',
  tasks: [
    { call: 'MAKE_DATASET', args: [10] },
    { call: 'ECHO_ITEMS', args: [1] },
  ],
}

// A worker that acknowledges the first order it gets, then says nothing more.
const silent = env.transport.connectWorker(['default'])
const cluster = env.monitor.identity.cluster
silent.onOrder((order) => {
  silent.send({
    type: 'OrderReceived',
    v: PROTOCOL_VERSION,
    cluster,
    orderId: order.orderId,
    token: order.token,
    workerId: 'silent',
  })
})
silent.send({
  type: 'Heartbeat',
  v: PROTOCOL_VERSION,
  cluster,
  workerId: 'silent',
  host: 'test',
  pid: 1,
  lanes: ['default'],
  slots: 1,
  inFlight: [],
})
const ids = [await submit(document), await submit(document)]
const [leader, follower] = ids as [string, string]
await env.waitUntil(
  () => env.queries.events(follower, 0, 100).events.some((e) => e.type === 'StepJoined'),
  'the second pipeline to join the first',
)
await env.waitUntil(
  () => env.queries.events(leader, 0, 100).events.some((e) => e.type === 'UnitRetryScheduled'),
  'the lease to expire',
)
await silent.close()
env.addWorker()
env.addWorker()
await env.waitForEnd(ids)

writeRecordedLog(env, ids, out)
await env.stop()
