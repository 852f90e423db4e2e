import { afterEach, describe, expect, test } from 'vitest'
import { catalogue, parsePipelineDocument, type StoredEvent } from '../../domain/index.ts'
import { startInProcess, type InProcess } from '../../../test/harness/in-process.ts'
import { checkIntegrity } from '../replay.ts'

let env: InProcess | undefined
afterEach(async () => {
  await env?.stop()
  env = undefined
})

const spec = (doc: unknown) => parsePipelineDocument(doc, catalogue)
const eventsOf = (e: InProcess, id: string): StoredEvent[] => e.queries.events(id, 0, 10_000).events

describe('addressed dispatch (real SQLite, in-process workers)', () => {
  test('200 pipelines on 2 workers: every order names a worker with a free slot, and none is handed back', async () => {
    env = startInProcess({ workers: 2, slots: 3 })
    const ids = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        env!.monitor.submit(
          spec({ name: `p${i}`, cache: false, tasks: [{ call: 'NOOP' }, { call: 'SLEEP', args: [i % 7] }] }),
        ),
      ),
    )
    await env.waitForEnd(
      ids.map((r) => r.id),
      120_000,
    )
    const workers = new Set<string>()
    for (const { id } of ids) {
      expect(env.queries.detail(id).status).toBe('succeeded')
      for (const e of eventsOf(env, id)) {
        expect(e.type).not.toBe('UnitFailed') // a hand-back is recorded as a retryable UnitFailed
        if (e.type === 'UnitDispatched') {
          expect(e.data.reason).toBe('free')
          workers.add(e.data.worker ?? 'none')
        }
        if (e.type === 'UnitStarted') expect(e.data.attempt).toBe(1)
      }
    }
    expect(workers).toEqual(new Set(['w1', 'w2']))
    const shards = env.queries.detail(ids[0]!.id).tasks.flatMap((t) => t.units)
    expect(shards.every((u) => (u.worker === 'w1' || u.worker === 'w2') && u.reason === 'free')).toBe(true)
    expect(checkIntegrity(env.log, env.pipelines, env.settings.retry).problems).toEqual([])
  })

  test('a worker whose link drops: UnitWorkerLost, then the unit is re-dispatched to the other worker with no lease expiry between', async () => {
    // A long lease: only the lost link can explain a quick re-dispatch.
    env = startInProcess({ workers: 2, slots: 1, settings: { leaseMs: 60_000 } })
    const { id } = await env.monitor.submit(
      spec({ name: 'victim', cache: false, tasks: [{ call: 'SLEEP', args: [400] }] }),
    )
    await env.waitUntil(() => eventsOf(env!, id).some((e) => e.type === 'UnitStarted'), 'the unit to start')
    const started = eventsOf(env, id).find((e) => e.type === 'UnitStarted')
    if (started?.type !== 'UnitStarted') throw new Error('no UnitStarted')
    const victim = started.data.worker
    env.crashWorker(victim)
    await env.waitForEnd([id], 30_000)
    const events = eventsOf(env, id)
    const types = events.map((e) => e.type)
    const lost = types.indexOf('UnitWorkerLost')
    expect(lost).toBeGreaterThan(types.indexOf('UnitStarted'))
    const lostEvent = events[lost]!
    expect(lostEvent.type === 'UnitWorkerLost' && lostEvent.data).toMatchObject({
      attempt: 1,
      worker: victim,
      cause: 'disconnected',
    })
    // Lost, then at once the next attempt: a retry due immediately, dispatched to the survivor.
    const after = events.slice(lost + 1)
    expect(after.map((e) => e.type).slice(0, 2)).toEqual(['UnitRetryScheduled', 'UnitDispatched'])
    const retry = after[0]!
    expect(retry.type === 'UnitRetryScheduled' && Date.parse(retry.data.notBefore)).toBe(
      Date.parse(lostEvent.at),
    )
    const again = after[1]!
    expect(again.type === 'UnitDispatched' && again.data).toMatchObject({ attempt: 2 })
    expect(again.type === 'UnitDispatched' && again.data.worker).not.toBe(victim)
    expect(types).not.toContain('UnitLeaseExpired')
    expect(env.queries.detail(id).status).toBe('succeeded')
  })

  test('a live but busy worker keeps its lease: a long unit with heartbeats is never lost', async () => {
    env = startInProcess({ workers: 1, slots: 1, heartbeatMs: 50, settings: { leaseMs: 300 } })
    const { id } = await env.monitor.submit(
      spec({ name: 'long', cache: false, tasks: [{ call: 'SLEEP', args: [1_500] }] }),
    )
    await env.waitForEnd([id], 30_000)
    const types = eventsOf(env, id).map((e) => e.type)
    expect(types).not.toContain('UnitWorkerLost')
    expect(types).not.toContain('UnitLeaseExpired')
    expect(env.queries.detail(id).status).toBe('succeeded')
  })
})
