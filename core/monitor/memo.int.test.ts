import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { catalogue, type Cid, parsePipelineDocument, readManifest } from '../domain/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'
import { collectGarbage, referencedCids } from './garbage-collection.ts'

let env: InProcess | undefined
const dirs: string[] = []
afterEach(async () => {
  await env?.stop()
  env = undefined
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const spec = (doc: unknown) => parsePipelineDocument(doc, catalogue)
const dispatchedSteps = (e: InProcess, id: string) =>
  e.queries.events(id, 0, 1000).events.flatMap((x) => (x.type === 'UnitDispatched' ? [x.data.step] : []))

describe('memoization you can trust', () => {
  test('deleting a ref of a memoized output makes the next run recompute that step: no dangling hit', async () => {
    env = startInProcess()
    const doc = [{ call: 'MAKE_DATASET', args: [6] }, { call: 'NOOP' }]
    const first = await env.monitor.submit(spec(doc))
    await env.waitForEnd([first.id])
    const manifest = await readManifest(env.store, env.queries.detail(first.id).tasks[0]!.output)
    await env.store.delete(manifest.items[3]!.audio) // one WAV-like blob the dataset references
    const second = await env.monitor.submit(spec(doc))
    await env.waitForEnd([second.id])
    const detail = env.queries.detail(second.id)
    expect(detail.status).toBe('succeeded')
    expect(detail.tasks[0]!.cacheHit).toBe(false)
    expect(dispatchedSteps(env, second.id)).toContain(0)
    expect(await env.store.has(manifest.items[3]!.audio)).toBe(true) // recomputed, so readable again
  })

  test('deleting a memoized output itself is noticed the same way', async () => {
    env = startInProcess()
    const first = await env.monitor.submit(spec([{ call: 'MAKE_DATASET', args: [2] }]))
    await env.waitForEnd([first.id])
    await env.store.delete(env.queries.detail(first.id).output!)
    const second = await env.monitor.submit(spec([{ call: 'MAKE_DATASET', args: [2] }]))
    await env.waitForEnd([second.id])
    expect(env.queries.detail(second.id).tasks[0]!.cacheHit).toBe(false)
  })

  test('retry of a finished pipeline turns every step that succeeded into a cache hit', async () => {
    env = startInProcess()
    const first = await env.monitor.submit(
      spec([
        { call: 'MAKE_DATASET', args: [3] },
        { call: 'ECHO_ITEMS' },
        { call: 'FAIL', args: ['last step broken'] },
      ]),
    )
    await env.waitForEnd([first.id])
    const retry = await env.monitor.retry(
      first.id,
      spec([
        { call: 'MAKE_DATASET', args: [3] },
        { call: 'ECHO_ITEMS' },
        { call: 'FAIL', args: ['last step broken'] },
      ]),
    )
    await env.waitForEnd([retry.id])
    const detail = env.queries.detail(retry.id)
    expect(detail.retryOf).toBe(first.id)
    expect(detail.tasks.map((t) => t.cacheHit)).toEqual([true, true, false])
    expect(dispatchedSteps(env, retry.id)).toEqual([2])
  })

  test('the cache route explains a miss by the part that differed from the nearest earlier run', async () => {
    env = startInProcess()
    const first = await env.monitor.submit(spec([{ call: 'SLEEP', args: [1] }]))
    await env.waitForEnd([first.id])
    const second = await env.monitor.submit(spec([{ call: 'SLEEP', args: [2] }]))
    await env.waitForEnd([second.id])
    expect(env.queries.cache(second.id, 0)).toMatchObject({
      status: 'miss',
      nearest: { pipelineId: first.id, differs: ['args'] },
    })
  })

  test('garbage collection removes unreferenced blobs and keeps every referenced one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banzai-gc-'))
    dirs.push(dir)
    const store = await createEmbeddedStore({ dir: join(dir, 'store') })
    env = startInProcess({ store })
    const { id } = await env.monitor.submit(
      spec([{ call: 'MAKE_DATASET', args: [5] }, { call: 'ECHO_ITEMS' }]),
    )
    await env.waitForEnd([id])
    const orphans: Cid[] = []
    for (let i = 0; i < 4; i++) orphans.push((await store.put(new TextEncoder().encode(`orphan ${i}`))).cid)
    const pinned = (await store.put(new TextEncoder().encode('pinned orphan'))).cid
    await store.pin(pinned)
    const referenced = await referencedCids(env.log, store)
    expect(referenced.size).toBeGreaterThan(5)
    const capped = await collectGarbage(env.db, store, {
      maxBytes: 1_000_000_000,
    })
    expect(capped.removed).toBe(0) // under the cap, caches stay
    const report = await collectGarbage(env.db, store)
    expect(report.removed).toBe(4)
    for (const cid of orphans) expect(await store.has(cid)).toBe(false)
    expect(await store.has(pinned)).toBe(true)
    for (const cid of referenced) expect(await store.has(cid as Cid)).toBe(true)
    const manifest = await readManifest(store, env.queries.detail(id).output)
    expect(manifest.items).toHaveLength(5)
    // No event lists the items' blobs (refs are empty): GC found them by reading the manifests.
    const events = env.queries.events(id, 0, 1000).events
    expect(events.flatMap((e) => ('refs' in e.data ? e.data.refs : []))).toEqual([])
    for (const item of manifest.items) expect(await store.has(item.audio)).toBe(true)
  })

  test('garbage collection refuses while pipelines run', async () => {
    env = startInProcess()
    const { id } = await env.monitor.submit(spec([{ call: 'SLEEP', args: [60_000] }]))
    await env.waitUntil(() => env!.queries.detail(id).status === 'running', 'the sleep to run')
    await expect(collectGarbage(env.db, env.store)).rejects.toThrow(/still running/)
  })
})
