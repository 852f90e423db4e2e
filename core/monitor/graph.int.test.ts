import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  catalogue,
  type EventOf,
  parsePipelineDocument,
  readManifest,
  type Store,
  type StoredEvent,
} from '../domain/index.ts'
import { implementations } from '../../tasks/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'
import { serveArcticZips } from '../../test/support/zip-server.ts'
import { stepMemoKey } from './memo-key.ts'

// Graph pipelines through the real engine: real SQLite, real tasks, the real embedded store.
let dir: string
let store: Store
let env: InProcess
let zips: Awaited<ReturnType<typeof serveArcticZips>>

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'banzai-graph-'))
  store = await createEmbeddedStore({ dir: join(dir, 'store') })
  zips = await serveArcticZips()
  env = startInProcess({ dir, store, implementations, workers: 2, slots: 1, settings: { leaseMs: 10_000 } })
})
afterAll(async () => {
  await env.stop()
  await zips.close()
  rmSync(dir, { recursive: true, force: true })
})

const spec = (doc: unknown) => parsePipelineDocument(doc, catalogue)
const MFCC_ARGS = [26, 13, 0, 8000, 16000]
const zip = (speaker: string) => `${zips.url}/cmu_us_${speaker}_arctic-0.90-release.zip`
/** Two speakers fetched and featurized on separate branches, merged into one step. */
const twoBranches = (merge: string[] = ['mfcc_a', 'mfcc_b']) => ({
  name: 'two branches',
  tasks: [
    { id: 'fetch_a', inputs: [], call: 'FETCH_FESTVOX', args: [zip('sus')] },
    { id: 'fetch_b', inputs: [], call: 'FETCH_FESTVOX', args: [zip('ssc')] },
    { id: 'mfcc_a', inputs: ['fetch_a'], call: 'EXTRACT_MFCC', args: MFCC_ARGS },
    { id: 'mfcc_b', inputs: ['fetch_b'], call: 'EXTRACT_MFCC', args: MFCC_ARGS },
    { id: 'merged', inputs: merge, call: 'NOOP' },
  ],
})
const eventsOf = (id: string): StoredEvent[] => env.queries.events(id, 0, 1000).events
const stepStarted = (id: string, step: number) =>
  eventsOf(id).find(
    (e): e is StoredEvent & EventOf<'StepStarted'> => e.type === 'StepStarted' && e.data.step === step,
  )

async function run(doc: unknown, retryOf?: string): Promise<string> {
  const { id } = retryOf ? await env.monitor.retry(retryOf, spec(doc)) : await env.monitor.submit(spec(doc))
  await env.waitForEnd([id], 60_000)
  return id
}

describe('graph pipelines on the engine', () => {
  let first = ''

  test('two branches merge: the step gets one dataset, items concatenated in input order', async () => {
    first = await run(twoBranches())
    const detail = env.queries.detail(first)
    expect(detail.status).toBe('succeeded')
    expect(detail.tasks.map((t) => [t.id, t.inputs])).toEqual([
      ['fetch_a', []],
      ['fetch_b', []],
      ['mfcc_a', [0]],
      ['mfcc_b', [1]],
      ['merged', [2, 3]],
    ])
    const [a, b] = [detail.tasks[2]!.output!, detail.tasks[3]!.output!]
    const started = stepStarted(first, 4)!
    expect(started.data.inputs).toEqual([a, b])
    const merged = await readManifest(store, started.data.input)
    const [left, right] = [await readManifest(store, a), await readManifest(store, b)]
    expect(merged.items.map((i) => i.id)).toEqual([...left.items, ...right.items].map((i) => i.id))
    expect(merged.items.every((i) => typeof i.mfcc === 'string')).toBe(true)
    expect(new Set(merged.items.map((i) => i.speaker))).toEqual(new Set(['sus', 'ssc']))
    expect(detail.output).toBe(detail.tasks[4]!.output) // the last task's output
    expect(started.data.memoKey).toBe(
      stepMemoKey({ call: 'NOOP', version: 1, args: [], input: started.data.input, inputs: [a, b] }),
    )
  })

  test('a step with one input keeps the v2 memo parts, so rows written by list pipelines still hit', async () => {
    const one = stepStarted(first, 2)!
    expect(one.data.inputs).toBeUndefined()
    expect(one.data.memoKey).toBe(
      stepMemoKey({ call: 'EXTRACT_MFCC', version: 1, args: MFCC_ARGS, input: one.data.input }),
    )
    // The list form of branch a: its EXTRACT_MFCC hits the row the graph's step wrote, and the reverse.
    const list = await run([
      { call: 'FETCH_FESTVOX', args: [zip('sus')] },
      { call: 'EXTRACT_MFCC', args: MFCC_ARGS },
    ])
    expect(env.queries.detail(list).tasks[1]!.cacheHit).toBe(true)
  })

  test('retry of a graph turns every succeeded step into a cache hit; a new input order misses', async () => {
    const retry = await run(twoBranches(), first)
    const detail = env.queries.detail(retry)
    expect(detail.tasks.slice(2).map((t) => t.cacheHit)).toEqual([true, true, true])
    expect(
      eventsOf(retry)
        .filter((e) => e.type === 'UnitDispatched')
        .map((e) => e.data.step),
    ).toEqual(
      [0, 1], // FETCH is external: never a memo hit by args alone (its zips are revalidated)
    )
    const swapped = await run(twoBranches(['mfcc_b', 'mfcc_a']))
    const tasks = env.queries.detail(swapped).tasks
    expect(tasks.map((t) => t.cacheHit)).toEqual([false, false, true, true, false])
  })

  test('item ids that clash across inputs fail the step, naming both items', async () => {
    const id = await run({
      tasks: [
        { id: 'a', inputs: [], call: 'MAKE_DATASET', args: [2] },
        { id: 'b', inputs: [], call: 'MAKE_DATASET', args: [3] },
        { inputs: ['a', 'b'], call: 'NOOP' },
      ],
    })
    const detail = env.queries.detail(id)
    expect(detail.status).toBe('failed')
    expect(detail.tasks[2]!.error).toBe(
      'item ids clash across inputs: item 0 "synthetic/item-00001" of input 0 ("a" (step 0)) and item 0 "synthetic/item-00001" of input 1 ("b" (step 1))',
    )
  })

  test("a branch's final failure fails the pipeline and cancels the running branch", async () => {
    const id = await run({
      tasks: [
        { id: 'slow', inputs: [], call: 'SLEEP', args: [30_000] },
        { id: 'broken', inputs: [], call: 'FAIL', args: ['broken branch'] },
        { inputs: ['slow'], call: 'NOOP' },
      ],
    })
    const detail = env.queries.detail(id)
    expect(detail.status).toBe('failed')
    expect(detail.error).toBe('step 1 (FAIL) failed: broken branch')
    expect(detail.tasks.map((t) => t.status)).toEqual(['cancelled', 'failed', 'pending'])
  })
})
