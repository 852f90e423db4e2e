// One task kind run as a worker runs it, in this process, with the event loop probed: the
// longest time the loop was held is how late the worker's heartbeat timer can fire.
// Usage (from run.ts): node --import tsx bench/busy-worker/measure.ts KIND DATA_DIR JSON
//   fetch {zips}  ·  mfcc {input, count, args}  ·  learn {input, args}
// Prints one JSON line: {kind, output, wallMs, cpuMs, stall}.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  type Cid,
  makeOrderId,
  PipelineId,
  PROTOCOL_VERSION,
  type TaskContext,
  TaskOrder,
  declarations,
  type TaskName,
} from '../../core/domain/index.ts'
import { implementations } from '../../tasks/index.ts'
import { prepareTask } from '../../tasks/worker/prepared-task.ts'
import { runPerItem } from '../../tasks/worker/run-per-item.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'
import { probeLoopStall } from '../support/loop-stall.ts'

const [kind, dataDir, json] = process.argv.slice(2)
const config = JSON.parse(json ?? '{}') as {
  zips?: string[]
  input?: Cid
  count?: number
  args?: unknown[]
}
const call: TaskName = kind === 'fetch' ? 'FETCH_FESTVOX' : kind === 'mfcc' ? 'EXTRACT_MFCC' : 'LEARN'
const args = kind === 'fetch' ? (config.zips ?? []).map((z) => pathToFileURL(z).href) : (config.args ?? [])
const store = await createEmbeddedStore({ dir: join(dataDir!, 'store'), sync: 'batch' })
const unit = { pipelineId: PipelineId.parse('bench-1'), step: 0, shard: 0, attempt: 1 }
const ctx: TaskContext = {
  store,
  signal: new AbortController().signal,
  progress: () => {},
  log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  order: TaskOrder.parse({
    type: 'TaskOrder',
    v: PROTOCOL_VERSION,
    orderId: makeOrderId(unit),
    ...unit,
    call,
    version: declarations[call].version,
    args,
    input: config.input ?? null,
    ...(config.count !== undefined ? { items: { start: 0, end: config.count } } : {}),
    deadline: '2030-01-01T00:00:00.000Z',
  }),
  settings: {
    dataDir: dataDir!,
    allowedRoots: [...new Set((config.zips ?? []).map((z) => join(z, '..')))],
    workerId: 'bench',
  },
}
const task = prepareTask(call, implementations, args)
if (!task) throw new Error(`no implementation of ${call}`)
const probe = probeLoopStall()
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const result =
  task.kind === 'whole'
    ? await task.run(ctx.order.input, ctx)
    : await runPerItem(task.runItem.bind(task), declarations[call], ctx)
await store.flush()
const wallMs = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
const stall = probe.stop()
await store.close()
console.log(
  JSON.stringify({
    kind,
    output: result.output,
    stats: result.stats,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    stall,
  }),
)
