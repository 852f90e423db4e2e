import { afterEach, describe, expect, test } from 'vitest'
import { catalogue, parsePipelineDocument, type StoredEvent } from '../domain/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'
import { checkIntegrity } from './replay.ts'

let env: InProcess | undefined
afterEach(async () => {
  await env?.stop()
  env = undefined
})

const spec = (doc: unknown) => parsePipelineDocument(doc, catalogue)
const eventsOf = (e: InProcess, id: string): StoredEvent[] => e.queries.events(id, 0, 1000).events
const typesOf = (e: InProcess, id: string) => eventsOf(e, id).map((x) => x.type)

describe('the monitor engine (real SQLite, in-process workers)', () => {
  test('20 pipelines of utility tasks all succeed, on both workers, and the log passes the integrity check', async () => {
    env = startInProcess({ workers: 2 })
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        env!.monitor.submit(
          spec({ name: `p${i}`, tasks: [{ call: 'SLEEP', args: [5 + i] }, { call: 'NOOP' }], cache: false }),
        ),
      ),
    )
    await env.waitForEnd(ids.map((r) => r.id))
    const workers = new Set<string>()
    for (const { id } of ids) {
      expect(env.queries.detail(id).status).toBe('succeeded')
      for (const e of eventsOf(env, id)) if (e.type === 'UnitStarted') workers.add(e.data.worker)
    }
    expect(workers).toEqual(new Set(['w1', 'w2']))
    expect(checkIntegrity(env.log, env.pipelines, env.settings.retry).problems).toEqual([])
  })

  test('a tick left open for more reports commits by itself: a long unit’s start is committed before its success', async () => {
    env = startInProcess({ workers: 1 })
    const batches: string[][] = []
    env.monitor.onCommitted((events) => batches.push(events.map((e) => e.type)))
    const { id } = await env.monitor.submit(spec({ tasks: [{ call: 'SLEEP', args: [300] }], cache: false }))
    await env.waitForEnd([id])
    const startedIn = batches.findIndex((b) => b.includes('UnitStarted'))
    const succeededIn = batches.findIndex((b) => b.includes('UnitSucceeded'))
    expect(startedIn).toBeGreaterThanOrEqual(0)
    expect(startedIn).toBeLessThan(succeededIn)
  })

  test('a second identical pipeline is all cache hits and dispatches nothing', async () => {
    env = startInProcess()
    const doc = [{ call: 'MAKE_DATASET', args: [12] }, { call: 'ECHO_ITEMS', args: [] }, { call: 'NOOP' }]
    const first = await env.monitor.submit(spec(doc))
    await env.waitForEnd([first.id])
    const second = await env.monitor.submit(spec(doc))
    await env.waitForEnd([second.id])
    const detail = env.queries.detail(second.id)
    expect(detail.status).toBe('succeeded')
    expect(detail.tasks.map((t) => t.cacheHit)).toEqual([true, true, true])
    expect(typesOf(env, second.id).filter((t) => t === 'UnitDispatched')).toEqual([])
    expect(detail.output).toBe(env.queries.detail(first.id).output)
    expect(env.queries.cache(second.id, 1)).toMatchObject({
      status: 'hit',
      from: { pipelineId: first.id, step: 1 },
    })
  })

  test('5 identical pipelines submitted at once execute each step once (single flight)', async () => {
    env = startInProcess()
    const doc = [
      { call: 'SLEEP', args: [50] },
      { call: 'MAKE_DATASET', args: [5] },
    ]
    const ids = await Promise.all(Array.from({ length: 5 }, () => env!.monitor.submit(spec(doc))))
    await env.waitForEnd(ids.map((r) => r.id))
    const all = ids.flatMap(({ id }) => eventsOf(env!, id))
    expect(
      all
        .filter((e) => e.type === 'StepStarted')
        .map((e) => ('step' in e.data ? e.data.step : -1))
        .sort(),
    ).toEqual([0, 1])
    expect(all.filter((e) => e.type === 'UnitSucceeded')).toHaveLength(2)
    expect(ids.every(({ id }) => env!.queries.detail(id).status === 'succeeded')).toBe(true)
    expect(new Set(ids.map(({ id }) => env!.queries.detail(id).output)).size).toBe(1)
  })

  test('cache: false runs every step even when a memoized result exists', async () => {
    env = startInProcess()
    const first = await env.monitor.submit(spec([{ call: 'NOOP' }]))
    await env.waitForEnd([first.id])
    const second = await env.monitor.submit(spec({ tasks: [{ call: 'NOOP' }], cache: false }))
    await env.waitForEnd([second.id])
    expect(typesOf(env, second.id)).toContain('UnitSucceeded')
    expect(env.queries.cache(second.id, 0).status).toBe('bypassed')
  })

  test('a perItem step is split into shards and merged in item order; per-item results are reused', async () => {
    env = startInProcess({ settings: { shardSize: 10 } })
    const first = await env.monitor.submit(
      spec([
        { call: 'MAKE_DATASET', args: [45] },
        { call: 'ECHO_ITEMS', args: [] },
      ]),
    )
    await env.waitForEnd([first.id])
    const detail = env.queries.detail(first.id)
    expect(detail.tasks[1]!.shards).toEqual({ total: 5, succeeded: 5, running: 0 })
    const { readManifest } = await import('../domain/index.ts')
    const manifest = await readManifest(env.store, detail.output)
    expect(manifest.items.map((i) => i.id)).toEqual(
      Array.from({ length: 45 }, (_, i) => `synthetic/item-${String(i + 1).padStart(5, '0')}`),
    )
    expect(manifest.items.every((i) => typeof (i as Record<string, unknown>).echo === 'string')).toBe(true)
    // 60 items, of which the first 45 were computed before: only 15 are computed now.
    const second = await env.monitor.submit(
      spec([
        { call: 'MAKE_DATASET', args: [60] },
        { call: 'ECHO_ITEMS', args: [] },
      ]),
    )
    await env.waitForEnd([second.id])
    const stats = eventsOf(env, second.id).flatMap((e) =>
      e.type === 'UnitSucceeded' && e.data.step === 1 ? [e.data.stats] : [],
    )
    expect(stats.reduce((n, s) => n + (s.computed ?? 0), 0)).toBe(15)
    expect(stats.reduce((n, s) => n + (s.reused ?? 0), 0)).toBe(45)
  })

  test('a retryable failure is retried up to the limit, then the pipeline fails with the error', async () => {
    env = startInProcess()
    const { id } = await env.monitor.submit(spec([{ call: 'FAIL', args: ['flaky disk', true] }]))
    await env.waitForEnd([id])
    const types = typesOf(env, id)
    expect(types.filter((t) => t === 'UnitFailed')).toHaveLength(3)
    expect(types.filter((t) => t === 'UnitRetryScheduled')).toHaveLength(2)
    const detail = env.queries.detail(id)
    expect(detail.status).toBe('failed')
    expect(detail.error).toContain('flaky disk')
    expect(detail.tasks[0]!.attempt).toBe(3)
  })

  test('a non-retryable failure fails at once', async () => {
    env = startInProcess()
    const { id } = await env.monitor.submit(spec([{ call: 'FAIL', args: ['bad input'] }, { call: 'NOOP' }]))
    await env.waitForEnd([id])
    expect(typesOf(env, id).filter((t) => t === 'UnitFailed')).toHaveLength(1)
    expect(env.queries.detail(id).tasks.map((t) => t.status)).toEqual(['failed', 'pending'])
  })

  test('a step past its timeout fails with a clear error', async () => {
    env = startInProcess()
    const { id } = await env.monitor.submit(spec([{ call: 'SLEEP', args: [60_000], timeoutMs: 150 }]))
    await env.waitForEnd([id])
    expect(env.queries.detail(id).error).toContain('timed out after 150 ms')
  })

  test('cancel aborts the running task on its worker and ends the pipeline cancelled', async () => {
    env = startInProcess()
    const { id } = await env.monitor.submit(spec([{ call: 'SLEEP', args: [60_000] }]))
    await env.waitUntil(() => env!.queries.detail(id).tasks[0]!.status === 'running', 'the sleep to start')
    expect(await env.monitor.cancel(id, 'user asked')).toBe(true)
    await env.waitForEnd([id])
    expect(env.queries.detail(id).status).toBe('cancelled')
    await env.waitUntil(() => env!.monitor.stats().unitsInFlight === 0, 'the lease to go')
  })

  test('a lane with no worker keeps its units queued without spending attempts, until a worker serves it', async () => {
    env = startInProcess()
    const { id } = await env.monitor.submit(
      spec([{ call: 'NOOP' }, { call: 'SLEEP', args: [1], lane: 'gpu' }]),
    )
    await env.waitUntil(() => env!.queries.detail(id).tasks[1]!.status === 'queued', 'the gpu step to queue')
    const gpuDispatches = () =>
      eventsOf(env!, id).filter((e) => e.type === 'UnitDispatched' && e.data.step === 1)
    expect(gpuDispatches()).toEqual([])
    env.addWorker(['gpu'], 'gpu-1')
    await env.waitForEnd([id])
    const started = eventsOf(env, id).filter((e) => e.type === 'UnitStarted' && e.data.step === 1)
    expect(started.map((e) => (e.type === 'UnitStarted' ? e.data.worker : ''))).toEqual(['gpu-1'])
    expect(gpuDispatches()).toHaveLength(1)
  })

  test('an Idempotency-Key returns the same pipeline, never two', async () => {
    env = startInProcess()
    const a = await env.monitor.submit(spec([{ call: 'NOOP' }]), { idempotencyKey: 'k-1' })
    const b = await env.monitor.submit(spec([{ call: 'NOOP' }]), { idempotencyKey: 'k-1' })
    expect(b).toEqual({ id: a.id, created: false })
  })

  test('state at N replays the detail as it was after the N-th event', async () => {
    env = startInProcess()
    const { id } = await env.monitor.submit(spec([{ call: 'SLEEP', args: [20] }, { call: 'NOOP' }]))
    await env.waitForEnd([id])
    const events = eventsOf(env, id)
    const startedAt = events.find((e) => e.type === 'UnitStarted')!.pipelineSeq
    expect(env.queries.stateAt(id, startedAt).tasks[0]!.status).toBe('running')
    expect(env.queries.stateAt(id, 1).status).toBe('queued')
    expect(env.queries.stateAt(id, events.length)).toEqual(env.queries.detail(id))
  })
})
