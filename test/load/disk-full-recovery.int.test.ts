import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import type { Monitor } from '../../core/monitor/index.ts'
import { expectProblem } from '../../api/testing/expect-problem.ts'
import { postJson, startTestApi, type TestApi } from '../../api/testing/start-test-api.ts'

// A full disk, simulated as test/load/disk-full.int.test.ts does: `max_page_count` pinned to the
// file's size on the monitor's connection (SQLite fails a write that needs a new page with
// SQLITE_FULL). This monitor keeps a space reserve inside the database (issue 15): released on the
// first SQLITE_FULL, it lets a live pipeline be cancelled, a finished one deleted, the cache
// cleared and gc run, with nothing edited by hand.
const RESERVE_BYTES = 2 * 1024 * 1024
let api: TestApi
let monitor: Monitor | undefined

beforeAll(async () => {
  api = await startTestApi({
    inProcess: { workers: 2, slots: 2, reserveBytes: RESERVE_BYTES, settings: { tickMs: 50 } },
    // healthz as `banzai monitor` wires it: a released reserve is a reason too.
    deps: { writeFailure: () => monitor?.spaceFailure() ?? null },
  })
  monitor = api.env.monitor
})
afterAll(async () => {
  await api?.stop()
})

const submit = (doc: unknown) =>
  api.json<{ id: string }>('/api/pipelines', postJson(doc)).then((a) => ({ ...a, id: a.body.id }))

describe('recovering from a full disk without editing anything by hand', () => {
  test('with a live pipeline: cancel, delete, cache clear and gc work; new pipelines are refused with what to free, and taken again once there is room', async () => {
    const db = api.env.db
    // A finished pipeline whose blobs and memo rows can be freed, and a live one.
    const finished = await submit({ tasks: [{ call: 'MAKE_DATASET', args: [40] }, { call: 'ECHO_ITEMS' }] })
    expect(finished.status).toBe(201)
    await api.env.waitForEnd([finished.id])
    const live = await submit({ tasks: [{ call: 'SLEEP', args: [600_000] }], cache: false })
    await api.env.waitUntil(
      () => api.env.queries.detail(live.id).tasks[0]!.status === 'running',
      'the SLEEP to start',
    )

    // Full: the file may not grow by a single page.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
    let refused: Awaited<ReturnType<typeof submit>> | null = null
    for (let i = 0; i < 5_000 && !refused; i++) {
      const answer = await submit({ tasks: [{ call: 'NOOP' }], cache: false })
      if (answer.status !== 201) refused = answer
    }
    expect(refused, 'a submission should be refused once the disk is full').not.toBeNull()
    const problem = expectProblem(refused!, 503)
    expect(problem.detail).toMatch(/disk is full.*space reserve/)
    expect(problem.detail).toMatch(/banzai delete .* banzai gc/)
    const health = await api.json('/api/healthz')
    expect(health.status).toBe(503)

    // Everything that frees space, or stops work, still goes through.
    const cancelled = await api.json(`/api/pipelines/${live.id}/cancel`, postJson({}))
    expect(cancelled.status).toBe(202)
    await api.env.waitForEnd([live.id])
    expect(api.env.queries.detail(live.id).status).toBe('cancelled')
    const deleted = await api.json(`/api/pipelines/${finished.id}`, { method: 'DELETE' })
    expect(deleted.status).toBe(200)
    const cleared = await api.json<{ steps: number }>('/api/cache/clear', postJson({}))
    expect(cleared.status).toBe(200)
    const gc = await api.json<{ removed: number }>('/api/gc', postJson({}))
    expect(gc.status).toBe(200)
    expect(gc.body.removed).toBeGreaterThanOrEqual(41) // the deleted pipeline's 40 items and manifest

    // Room returns: the reserve is made again and submissions are taken again.
    db.pragma('max_page_count = 1073741823')
    await vi.waitFor(
      async () => {
        expect((await submit({ tasks: [{ call: 'NOOP' }], cache: false })).status).toBe(201)
      },
      { timeout: 20_000, interval: 200 },
    )
    expect((await api.json('/api/healthz')).status).toBe(200)
    expect(db.prepare('SELECT COUNT(*) AS n FROM space_reserve').get()).toEqual({ n: 1 })
    // Nothing half-written: the log has no gap, and what the monitor counted is what was recorded.
    const { n, max } = db
      .prepare<[], { n: number; max: number }>('SELECT COUNT(*) AS n, MAX(seq) AS max FROM events')
      .get()!
    expect(n).toBe(max)
    expect(n).toBe(api.env.monitor.lastSeq())
  }, 120_000)
})
