import {
  type Cid,
  DATASET_KIND,
  type DatasetItem,
  type DatasetManifest,
  RetryableTaskError,
  type ImplementationOf,
  type Implementations,
  type TaskContext,
  type TaskResult,
} from '../../core/domain/index.ts'
import { writeJson } from '../documents.ts'
import { abortError, waitAbortably } from './wait.ts'

/** Passes `input` through (what it references is read from it, SPEC §3); null becomes `{}`. */
async function passThrough(input: Cid | null, ctx: TaskContext): Promise<TaskResult> {
  if (input === null) return { output: await writeJson(ctx.store, {}), refs: [] }
  return { output: input, refs: [] }
}

/** NOOP(): passes its input through; with no input, writes and returns an empty document `{}`. */
export const noop: ImplementationOf<'NOOP'> = {
  kind: 'whole',
  run: (input, _args, ctx) => passThrough(input, ctx),
}

/** SLEEP(ms): waits `ms` (abortable), reporting progress a few times a second; passes its input through. */
export const sleep: ImplementationOf<'SLEEP'> = {
  kind: 'whole',
  async run(input, args, ctx) {
    const [ms] = args
    ctx.progress(0, ms, 'ms')
    await waitAbortably(ms, ctx.signal, (elapsed) => ctx.progress(Math.round(elapsed), ms, 'ms'), 200)
    ctx.progress(ms, ms, 'ms')
    return passThrough(input, ctx)
  },
}

/** FAIL(message, retryable = false): throws that message, retryable or not. */
export const fail: ImplementationOf<'FAIL'> = {
  kind: 'whole',
  async run(_input, args) {
    const [message, retryable = false] = args
    if (retryable) throw new RetryableTaskError(message)
    throw Object.assign(new Error(message), { retryable: false })
  },
}

/** The synthetic item number `index` (1-based), of the blob `audio`. */
function syntheticItem(index: number, audio: Cid): DatasetItem {
  const utterance = `item-${String(index).padStart(5, '0')}`
  return {
    id: `synthetic/${utterance}`,
    speaker: 'synthetic',
    utterance,
    audio,
    sampleRate: 16_000,
    channels: 1,
    samples: index,
    seconds: index / 16_000,
  }
}

/** MAKE_DATASET(count): `count` tiny distinct blobs and a dataset manifest listing them. */
export const makeDataset: ImplementationOf<'MAKE_DATASET'> = {
  kind: 'whole',
  async run(_input, args, ctx) {
    const [count] = args
    const items: DatasetItem[] = []
    for (let index = 1; index <= count; index++) {
      if (ctx.signal.aborted) throw abortError(ctx.signal)
      const { cid } = await ctx.store.put(new TextEncoder().encode(`banzai synthetic item ${index}\n`))
      items.push(syntheticItem(index, cid))
      if (index % 100 === 0 || index === count) {
        ctx.progress(index, count, 'items')
        // Puts of tiny blobs may never wait on I/O: yield, so that the worker's heartbeats go out (SPEC §6).
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const manifest: DatasetManifest = { kind: DATASET_KIND, sources: [], items }
    // The manifest references its items itself: `refs` stays empty however many there are.
    return { output: await writeJson(ctx.store, manifest), refs: [], stats: { items: count } }
  },
}

/** ECHO_ITEMS([ms]): per item, waits `ms` (abortable) and records the worker that handled it. */
export const echoItems: ImplementationOf<'ECHO_ITEMS'> = {
  kind: 'perItem',
  async runItem(_item, args, ctx) {
    const [ms = 0] = args
    if (ms > 0) await waitAbortably(ms, ctx.signal)
    else if (ctx.signal.aborted) throw abortError(ctx.signal)
    return { fields: { echo: ctx.settings.workerId }, refs: [] }
  },
}

/** The utility tasks' implementations, by catalogue name. */
export const utilityTasks = {
  NOOP: noop,
  SLEEP: sleep,
  FAIL: fail,
  MAKE_DATASET: makeDataset,
  ECHO_ITEMS: echoItems,
} satisfies Partial<Implementations>
