import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { catalogue, parsePipelineDocument } from '../domain/index.ts'
import { createMemoryStore } from '../../transport/memory/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'
import { gatedStore, until } from '../../test/harness/gated-store.ts'

const envs: InProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const env of envs.splice(0)) await env.stop()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const spec = (doc: unknown) => parsePipelineDocument(doc, catalogue)

describe('a success report is checked against the store outside the tick (SPEC §5)', () => {
  test('while an output is being checked for 3 lease times, another pipeline runs to the end and the lease never expires', async () => {
    const raw = createMemoryStore()
    const gate = gatedStore(raw)
    // The check is held for 3 lease times (the SLEEP below): a check that kept the lease running would lose it.
    const env = startInProcess({ store: gate.store, workers: 0, settings: { leaseMs: 1_000 } })
    envs.push(env)
    env.addWorker(undefined, 'w1', raw)
    gate.close()
    const big = await env.monitor.submit(
      spec({ tasks: [{ call: 'MAKE_DATASET', args: [200] }], cache: false }),
    )
    await until(() => gate.waiting > 0, 'the store check to begin')

    // The engine keeps ticking: a second pipeline is dispatched, reported and finished meanwhile.
    const small = await env.monitor.submit(spec({ tasks: [{ call: 'SLEEP', args: [3_000] }], cache: false }))
    await env.waitForEnd([small.id])
    expect(env.queries.detail(small.id).status).toBe('succeeded')
    expect(env.queries.detail(big.id).status).toBe('running')

    gate.open()
    await env.waitForEnd([big.id])
    const events = env.queries.events(big.id, 0, 1000).events
    expect(env.queries.detail(big.id).status).toBe('succeeded')
    expect(events.map((e) => e.type)).not.toContain('UnitLeaseExpired')
    expect(events.map((e) => e.type)).not.toContain('UnitFailed')
    // The verdict entered the log after the other pipeline's end: it was decided in a later tick.
    const smallEnd = env.queries.events(small.id, 0, 1000).events.at(-1)!
    const decided = events.find((e) => e.type === 'UnitSucceeded')!
    expect(smallEnd.type).toBe('PipelineSucceeded')
    expect(decided.seq).toBeGreaterThan(smallEnd.seq)
  })

  test('a monitor stopped mid-check recorded nothing of the report; after a restart the unit runs again and succeeds', async () => {
    const raw = createMemoryStore()
    const gate = gatedStore(raw)
    const dir = mkdtempSync(join(tmpdir(), 'banzai-check-'))
    dirs.push(dir)
    const first = startInProcess({ dir, store: gate.store, workers: 0, settings: { leaseMs: 1_000 } })
    first.addWorker(undefined, 'w1', raw)
    gate.close()
    const { id } = await first.monitor.submit(
      spec({ tasks: [{ call: 'MAKE_DATASET', args: [200] }], cache: false }),
    )
    await until(() => gate.waiting > 0, 'the store check to begin')
    await first.stop()
    gate.open() // the verdict reaches a stopped engine: dropped

    const second = startInProcess({ dir, store: raw, workers: 1, settings: { leaseMs: 1_000 } })
    envs.push(second)
    const before = second.queries.events(id, 0, 1000).events.map((e) => e.type)
    expect(before).not.toContain('UnitSucceeded')
    expect(before).not.toContain('UnitFailed')
    await second.waitForEnd([id])
    expect(second.queries.detail(id).status).toBe('succeeded')
    expect(second.queries.events(id, 0, 1000).events.filter((e) => e.type === 'UnitSucceeded')).toHaveLength(
      1,
    )
  })
})

/**
 * A data folder with a real SQLite file and a store (embedded, or in memory where 20k items must
 * be made quickly), and the store gated for the monitor.
 */
async function setUp(inMemory = false) {
  const dir = mkdtempSync(join(tmpdir(), 'banzai-memo-check-'))
  dirs.push(dir)
  const raw = inMemory ? createMemoryStore() : await createEmbeddedStore({ dir: join(dir, 'store') })
  return { dir, raw, gate: gatedStore(raw) }
}

const types = (env: InProcess, id: string) => env.queries.events(id, 0, 1000).events.map((e) => e.type)

describe('a memo hit is checked against the store outside the tick (SPEC §4)', () => {
  test('while a 20k-item memoized dataset is checked, another pipeline runs to the end; the hit is recorded after it', async () => {
    const { dir, raw, gate } = await setUp(true)
    const env = startInProcess({ dir, store: gate.store, workers: 0 })
    envs.push(env)
    env.addWorker(undefined, 'w1', raw)
    const doc = [{ call: 'MAKE_DATASET', args: [20_000] }]
    const first = await env.monitor.submit(spec(doc))
    await env.waitForEnd([first.id], 60_000) // 20k tiny items through one in-process worker
    expect(env.queries.detail(first.id).status).toBe('succeeded')

    gate.close()
    const second = await env.monitor.submit(spec(doc))
    await until(() => gate.waiting > 0, 'the memo check to begin')
    expect(env.queries.detail(second.id).tasks[0]!.status).toBe('pending')

    // The engine keeps ticking: a second pipeline is dispatched, reported and finished meanwhile.
    const small = await env.monitor.submit(spec({ tasks: [{ call: 'SLEEP', args: [50] }], cache: false }))
    await env.waitForEnd([small.id])
    expect(env.queries.detail(small.id).status).toBe('succeeded')
    expect(types(env, second.id)).toEqual(['PipelineSubmitted'])

    gate.open()
    await env.waitForEnd([second.id], 60_000)
    const detail = env.queries.detail(second.id)
    expect(detail.status).toBe('succeeded')
    expect(detail.tasks[0]!.cacheHit).toBe(true)
    const events = env.queries.events(second.id, 0, 1000).events
    expect(events.map((e) => e.type)).not.toContain('StepStarted')
    const smallEnd = env.queries.events(small.id, 0, 1000).events.at(-1)!
    expect(events.find((e) => e.type === 'StepCacheHit')!.seq).toBeGreaterThan(smallEnd.seq)
  }, 120_000)

  test('a monitor stopped mid-check recorded nothing of it; after a restart the step is started again and hits', async () => {
    const { dir, raw, gate } = await setUp()
    const first = startInProcess({ dir, store: gate.store, workers: 0 })
    first.addWorker(undefined, 'w1', raw)
    const doc = [{ call: 'MAKE_DATASET', args: [50] }, { call: 'ECHO_ITEMS' }]
    const made = await first.monitor.submit(spec(doc))
    await first.waitForEnd([made.id])
    gate.close()
    const { id } = await first.monitor.submit(spec(doc))
    await until(() => gate.waiting > 0, 'the memo check to begin')
    await first.stop()
    gate.open() // the verdict reaches a stopped engine: dropped

    const second = startInProcess({ dir, store: raw, workers: 0 })
    envs.push(second)
    expect(types(second, id)).toEqual(['PipelineSubmitted'])
    await second.waitForEnd([id])
    const detail = second.queries.detail(id)
    expect(detail.status).toBe('succeeded')
    expect(detail.tasks.map((t) => t.cacheHit)).toEqual([true, true])
    expect(types(second, id)).not.toContain('StepStarted')
  })

  test('a pipeline cancelled mid-check stays cancelled: the verdict that comes back later is dropped', async () => {
    const { dir, raw, gate } = await setUp()
    const env = startInProcess({ dir, store: gate.store, workers: 0 })
    envs.push(env)
    env.addWorker(undefined, 'w1', raw)
    const doc = [{ call: 'MAKE_DATASET', args: [50] }]
    const made = await env.monitor.submit(spec(doc))
    await env.waitForEnd([made.id])
    gate.close()
    const { id } = await env.monitor.submit(spec(doc))
    await until(() => gate.waiting > 0, 'the memo check to begin')
    expect(await env.monitor.cancel(id)).toBe(true)
    gate.open()
    // A later pipeline's hit is recorded after the dropped verdict (the mailbox keeps order).
    const after = await env.monitor.submit(spec(doc))
    await env.waitForEnd([after.id])
    expect(env.queries.detail(after.id).tasks[0]!.cacheHit).toBe(true)
    expect(env.queries.detail(id).status).toBe('cancelled')
    expect(types(env, id)).toEqual(['PipelineSubmitted', 'PipelineCancelled'])
  })
})
