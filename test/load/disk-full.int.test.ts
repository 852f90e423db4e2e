import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import type { StoredEvent } from '../../core/domain/index.ts'
import { checkIntegrity } from '../../core/monitor/index.ts'
import { expectProblem } from '../../api/testing/expect-problem.ts'
import { postJson, startTestApi, type TestApi } from '../../api/testing/start-test-api.ts'
import { readMetric } from '../support/api-pages.ts'
import { type CommitAttempt, probeCommits } from '../support/commit-probe.ts'

// The event log cannot grow: `max_page_count` pinned to the file's current size on the monitor's
// own connection (SQLite then fails any write that needs a new page with SQLITE_FULL).
const RUNNING = 6
const SLEEP_MS = 4_000
/** Commits refused in a row after which the file is taken to be full for every write. */
const FAILS_IN_A_ROW = 12
let api: TestApi
let probe: ReturnType<typeof probeCommits>
/** Final reports that reached the monitor, per order id, with the phase they arrived in. */
const finalReports: { orderId: string; phase: 'room' | 'full' }[] = []
let phase: 'room' | 'full' = 'room'
let episodeDone = false

beforeAll(async () => {
  // Three workers of two slots: the six SLEEPs take every slot. A long lease: while the disk is
  // full no lease runs out, so each unit can only complete by its worker's re-sent report.
  api = await startTestApi({ inProcess: { workers: 3, slots: 2, settings: { leaseMs: 30_000, tickMs: 50 } } })
  api.env.transport.monitor.onMessage((message) => {
    if (message.type === 'OrderSucceeded') finalReports.push({ orderId: message.orderId, phase })
  })
})
afterAll(async () => {
  probe?.restore()
  await api?.stop()
})

function countEvents(t: TestApi): { n: number; max: number | null } {
  return t.env.db
    .prepare<[], { n: number; max: number | null }>('SELECT COUNT(*) AS n, MAX(seq) AS max FROM events')
    .get()!
}

async function submit(
  doc: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  return api.json('/api/pipelines', postJson(doc, headers))
}

describe('when the disk is full', () => {
  test('submissions get 503, nothing is half-written or advances, and everything completes once room returns', async () => {
    const db = api.env.db
    const running: string[] = []
    for (let i = 0; i < RUNNING; i++) {
      const answer = await submit({
        name: `running-${i}`,
        tasks: [{ call: 'SLEEP', args: [SLEEP_MS] }, { call: 'NOOP' }],
        cache: false,
      })
      expect(answer.status).toBe(201)
      running.push((answer.body as { id: string }).id)
    }
    await api.env.waitUntil(
      () => running.every((id) => api.env.queries.detail(id).tasks[0]!.status === 'running'),
      'the SLEEPs to start',
    )

    // Full: the file may not grow by a single page.
    probe = probeCommits(db)
    const pages = db.pragma('page_count', { simple: true }) as number
    db.pragma(`max_page_count = ${pages}`)
    expect(db.pragma('max_page_count', { simple: true })).toBe(pages)

    // Writes that fit in the pages' free room still go through; submit until one does not.
    const queued: string[] = []
    let refused: { status: number; body: unknown; headers: Headers } | null = null
    for (let i = 0; i < 2_000 && !refused; i++) {
      const answer = await submit({ name: `fill-${i}`, tasks: [{ call: 'NOOP' }], cache: false })
      if (answer.status === 201) queued.push((answer.body as { id: string }).id)
      else refused = answer
    }
    expect(refused, 'a submission should be refused once the file is full').not.toBeNull()
    const problem = expectProblem(refused!, 503)
    expect(problem.type).toBe('urn:banzai:problem:unavailable')
    expect(problem.detail).toMatch(/event log cannot be written/)
    // Small writes may still fit in the free room of the existing pages for a while (the pragma
    // caps pages, not bytes); the file is full for every write once commits fail in a row.
    const firstRefused = probe.attempts.length
    await vi.waitFor(
      () => {
        const recent = probe.attempts.slice(-FAILS_IN_A_ROW)
        expect(recent.length === FAILS_IN_A_ROW && recent.every((a) => !a.ok)).toBe(true)
      },
      { timeout: 30_000, interval: 20 },
    )
    const slack = probe.attempts.slice(firstRefused).filter((a) => a.ok)
    phase = 'full'

    // While full: the log stands still. Each SLEEP finishes on its worker and its report is sent
    // (and re-sent, unacknowledged); none of it is recorded.
    const before = countEvents(api)
    const seqBefore = api.env.monitor.lastSeq()
    const attemptsBefore = probe.attempts.length
    const stateBefore = new Map(running.map((id) => [id, api.env.queries.detail(id)]))
    const orderOf = (id: string) => `${id}.0.0.1`
    await vi.waitFor(
      () => {
        for (const id of running)
          expect(
            finalReports.filter((r) => r.orderId === orderOf(id) && r.phase === 'full').length,
          ).toBeGreaterThanOrEqual(2)
      },
      { timeout: 60_000, interval: 50 },
    )
    const again = await submit(
      { tasks: [{ call: 'NOOP' }], cache: false },
      { 'Idempotency-Key': 'while-full' },
    )
    expectProblem(again, 503)
    const whileFull = probe.attempts.slice(attemptsBefore)
    expect(whileFull.length).toBeGreaterThan(0)
    expect(whileFull.filter((a) => a.ok)).toEqual([])
    // No refused commit, from the cap on, left a row or an open transaction behind.
    const traces = (a: CommitAttempt) => !a.ok && (a.eventsAfter !== a.eventsBefore || a.leftOpen)
    expect(probe.attempts.filter(traces)).toEqual([])
    expect(whileFull.every((a) => /full/i.test(a.error ?? ''))).toBe(true)
    expect(countEvents(api)).toEqual(before)
    expect(api.env.monitor.lastSeq()).toBe(seqBefore)
    for (const id of running) {
      const now = api.env.queries.detail(id)
      expect(now.pipelineSeq).toBe(stateBefore.get(id)!.pipelineSeq)
      expect(now.tasks[0]!.status).toBe('running')
    }

    // Room returns: the monitor resumes by itself.
    db.pragma('max_page_count = 1073741823')
    const retried = await submit(
      { tasks: [{ call: 'NOOP' }], cache: false },
      { 'Idempotency-Key': 'while-full' },
    )
    expect(retried.status).toBe(201)
    const fresh = await submit({ tasks: [{ call: 'SLEEP', args: [1] }, { call: 'NOOP' }], cache: false })
    expect(fresh.status).toBe(201)
    const all = [
      ...running,
      ...queued,
      (retried.body as { id: string }).id,
      (fresh.body as { id: string }).id,
    ]
    await api.env.waitForEnd(all, 60_000)
    const statuses = all.map((id) => api.env.queries.detail(id).status)
    expect(statuses.filter((s) => s !== 'succeeded')).toEqual([])

    // Nothing half-written: the log is gap-free and every snapshot equals a replay of it.
    const report = checkIntegrity(api.env.log, api.env.pipelines, api.env.settings.retry)
    expect(report.problems).toEqual([])
    const after = countEvents(api)
    expect(after.n).toBe(after.max)
    expect(after.n).toBe(api.env.monitor.lastSeq())
    // Each SLEEP completed by its first attempt's re-sent report, recorded once.
    const log: StoredEvent[] = [...api.env.log.readAll()]
    for (const id of running) {
      const succeeded = log.filter(
        (e) => e.pipelineId === id && e.type === 'UnitSucceeded' && e.data.step === 0,
      )
      expect(succeeded.map((e) => (e.type === 'UnitSucceeded' ? e.data.attempt : 0))).toEqual([1])
    }
    expect(log.filter((e) => e.type === 'UnitLeaseExpired')).toEqual([])
    console.log(
      `commit attempts from the cap on (+ committed, - refused): ${probe.attempts.map((a) => (a.ok ? '+' : '-')).join('')}`,
    )
    console.log(
      `disk full: ${slack.length} small commits still fitted after the first 503; ${queued.length} submissions fitted before the first 503; ${whileFull.length} commits refused while full ` +
        `(log held at seq ${seqBefore}); ${finalReports.filter((r) => r.phase === 'full').length} final reports sent in that time; ` +
        `after room returned, ${all.length} pipelines succeeded and the log holds ${after.n} events`,
    )
    episodeDone = true
  })

  // Fails today (bug report): the monitor counts a unit as succeeded (and dispatched) when it
  // stages the event, before the commit; a refused tick is rolled back but its counts are not.
  test('metrics count each recorded unit once, however often its report was refused', async () => {
    expect(episodeDone, 'runs after the disk-full episode above').toBe(true)
    const log = [...api.env.log.readAll()]
    const metrics = await (await api.request('/api/metrics')).text()
    expect({
      dispatched: readMetric(metrics, 'banzai_tasks_dispatched_total'),
      succeeded: readMetric(metrics, 'banzai_tasks_succeeded_total'),
    }).toEqual({
      dispatched: log.filter((e) => e.type === 'UnitDispatched').length,
      succeeded: log.filter((e) => e.type === 'UnitSucceeded').length,
    })
  })
})
