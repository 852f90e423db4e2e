// One task kind run as a worker runs it, in this process, with the event loop probed: the
// longest time the loop was held is how late the worker's heartbeat timer can fire.
// Usage (from run.ts): node --import tsx bench/busy-worker/measure.ts KIND DATA_DIR JSON
//   fetch {zips}  ·  mfcc {input, count, args}  ·  learn {input, args}
//   learn-inline {input, args}: LEARN's training and export on this thread, as before v3's thread
//   idle {ms}: nothing but the probe (what the machine's load alone costs a timer)
//   spin {ms}: a worker thread spins on arithmetic, this thread only probes (the floor for a
//   process whose compute thread is busy: the two compete for cores with the rest of the machine)
//   any of them with built: true runs the tasks from dist/ (npm run build), as `banzai worker` does
// Prints one JSON line: {kind, output, stats, wallMs, cpuMs (every thread of the process), stall}.
import { benchTaskContext } from '../support/task-context.ts'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import {
  type Cid,
  declarations,
  type TaskName,
  type TaskResult,
  type ArgsOf,
} from '../../core/domain/index.ts'
import { readBytes, readManifest } from '../../tasks/documents.ts'
import { type LearnOptions, resolveLearnOptions } from '../../tasks/learn/options.ts'
import { decodeNpy } from '../../tasks/npy/index.ts'
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
  ms?: number
  /** Run the tasks from the build (dist/), as `banzai worker` does, not the sources through tsx. */
  built?: boolean
}

/** A module of the build when `config.built`, else the source (typed as the source). */
async function load<T>(source: string): Promise<T> {
  const path = config.built ? `../../dist/${source.replace(/\.ts$/, '.js')}` : `../../${source}`
  return (await import(new URL(path, import.meta.url).href)) as T
}
const { implementations } = await load<typeof import('../../tasks/index.ts')>('tasks/index.ts')
const { trainOnFeatures } = await load<typeof import('../../tasks/learn/train.ts')>('tasks/learn/train.ts')
const { exportModel } = await load<typeof import('../../tasks/learn/model-io.ts')>('tasks/learn/model-io.ts')
const call: TaskName = kind === 'fetch' ? 'FETCH_FESTVOX' : kind === 'mfcc' ? 'EXTRACT_MFCC' : 'LEARN'
const args = kind === 'fetch' ? (config.zips ?? []).map((z) => pathToFileURL(z).href) : (config.args ?? [])
/** A thread that spins for `ms` (no I/O, no messages until it ends). */
function spinThread(ms: number): Promise<TaskResult> {
  const code = `let x = 0; const end = Date.now() + ${ms}; while (Date.now() < end) for (let i = 0; i < 1e5; i++) x += Math.sqrt(i); require('node:worker_threads').parentPort.postMessage(x)`
  const thread = new Worker(code, { eval: true })
  return new Promise((resolve) =>
    thread.once('message', () => {
      void thread.terminate()
      resolve({ output: null as unknown as Cid, refs: [] })
    }),
  )
}

/** LEARN's training on this thread (recordings read as it needs them), then the model exported: what the thread now does. */
async function learnInline(input: Cid, options: LearnOptions): Promise<TaskResult> {
  const { items } = await readManifest(store, input)
  const recordings = items.map((item) => ({
    id: item.id,
    speaker: item.speaker,
    utterance: item.utterance,
    frames: Number(item.frames),
    load: async () => {
      const { data, shape } = decodeNpy(await readBytes(store, item.mfcc!))
      return { data, rows: shape[0]!, cols: shape[1]! }
    },
  }))
  const outcome = await trainOnFeatures(recordings, options, {})
  const exported = await exportModel(outcome.model)
  outcome.model.dispose()
  const { cid } = await store.put(exported.weights)
  return { output: cid, refs: [], stats: { trainFrames: outcome.frames.train } }
}

const store = await createEmbeddedStore({ dir: join(dataDir!, 'store'), sync: 'batch' })
const ctx = benchTaskContext(
  store,
  {
    call,
    version: declarations[call].version,
    args,
    input: config.input ?? null,
    ...(config.count !== undefined ? { items: { start: 0, end: config.count } } : {}),
  },
  { dataDir: dataDir!, allowedRoots: [...new Set((config.zips ?? []).map((z) => join(z, '..')))] },
)
const task = prepareTask(call, implementations, args)
if (!task) throw new Error(`no implementation of ${call}`)
const probe = probeLoopStall()
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const result =
  kind === 'idle'
    ? await new Promise<TaskResult>((resolve) =>
        setTimeout(() => resolve({ output: null as unknown as Cid, refs: [] }), config.ms ?? 5_000),
      )
    : kind === 'spin'
      ? await spinThread(config.ms ?? 5_000)
      : kind === 'learn-inline'
        ? await learnInline(config.input!, resolveLearnOptions((config.args ?? []) as ArgsOf<'LEARN'>))
        : task.kind === 'whole'
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
