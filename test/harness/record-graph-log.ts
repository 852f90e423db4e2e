// Records a graph event log for fixtures/logs/ (SPEC §2 v3): two branches running side by side
// and merged (fan-out, fan-in, StepStarted.inputs), its retry (every step a cache hit), a branch
// failing while the other runs, a clash of item ids across inputs, and a cancelled graph.
// Usage: node --import tsx test/harness/record-graph-log.ts fixtures/logs/v3-graph
import { catalogue, parsePipelineDocument } from '../../core/domain/index.ts'
import { implementations } from '../../tasks/index.ts'
import { startInProcess } from './in-process.ts'
import { writeRecordedLog } from './write-recorded-log.ts'

const out = process.argv[2]
if (!out) throw new Error('usage: record-graph-log.ts OUT_PREFIX')
const env = startInProcess({ workers: 2, implementations, settings: { shardSize: 4 } })
const spec = (doc: unknown) => parsePipelineDocument(doc, catalogue)
const ids: string[] = []

const merged = {
  name: 'fan-out, fan-in',
  tasks: [
    { id: 'source', inputs: [], call: 'MAKE_DATASET', args: [6] },
    { id: 'left', inputs: ['source'], call: 'FILTER_SHORTER', args: [0.0002] },
    { id: 'right', inputs: ['source'], call: 'FILTER_LONGER', args: [0.0002] },
    { id: 'echo_left', inputs: ['left'], call: 'ECHO_ITEMS', args: [5] },
    { id: 'echo_right', inputs: ['right'], call: 'ECHO_ITEMS', args: [5] },
    { id: 'merged', inputs: ['echo_left', 'echo_right'], call: 'NOOP' },
  ],
}
const first = (await env.monitor.submit(spec(merged))).id
ids.push(first)
await env.waitForEnd([first])
ids.push((await env.monitor.retry(first, spec(merged))).id)
ids.push(
  (
    await env.monitor.submit(
      spec({
        name: 'a branch fails',
        tasks: [
          { id: 'slow', inputs: [], call: 'SLEEP', args: [60_000] },
          { id: 'broken', inputs: [], call: 'FAIL', args: ['broken branch'] },
          { inputs: ['slow'], call: 'NOOP' },
        ],
      }),
    )
  ).id,
)
ids.push(
  (
    await env.monitor.submit(
      spec({
        name: 'clash',
        tasks: [
          { id: 'a', inputs: [], call: 'MAKE_DATASET', args: [2] },
          { id: 'b', inputs: [], call: 'MAKE_DATASET', args: [3] },
          { inputs: ['a', 'b'], call: 'NOOP' },
        ],
      }),
    )
  ).id,
)
const cancelled = (
  await env.monitor.submit(
    spec({
      name: 'cancelled graph',
      cache: false,
      tasks: [
        { id: 'x', inputs: [], call: 'SLEEP', args: [60_000] },
        { id: 'y', inputs: [], call: 'SLEEP', args: [60_000] },
        { inputs: ['x'], call: 'NOOP' },
      ],
    }),
  )
).id
ids.push(cancelled)
await env.waitUntil(
  () => env.queries.detail(cancelled).tasks.filter((t) => t.status === 'running').length === 2,
  'both branches to run',
)
await env.monitor.cancel(cancelled, 'recorded cancel')
await env.waitForEnd(ids, 60_000)
writeRecordedLog(env, ids, out)
await env.stop()
