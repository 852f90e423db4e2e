import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { catalogue, TaskList, WorkerList } from '../core/domain/index.ts'
import { readMetric } from '../test/support/api-pages.ts'
import { probeCommits } from '../test/support/commit-probe.ts'
import { createApi } from './create-api.ts'
import { startApiServer } from './server.ts'
import { expectProblem } from './testing/expect-problem.ts'
import { postJson, startTestApi, type TestApi } from './testing/start-test-api.ts'

let api: TestApi
let uiDir: string
beforeAll(async () => {
  uiDir = mkdtempSync(join(tmpdir(), 'banzai-ui-'))
  mkdirSync(join(uiDir, 'assets'))
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>dashboard</title>')
  writeFileSync(join(uiDir, 'assets', 'app.js'), 'console.log(1)')
  api = await startTestApi({ deps: { uiDir } })
})
afterAll(async () => {
  await api.stop()
  rmSync(uiDir, { recursive: true, force: true })
})

describe('system routes', () => {
  test('workers, tasks (JSON Schema args), transport, healthz, metrics', async () => {
    const workers = await api.json<{ workers: { id: string; lanes: string[] }[] }>('/api/workers')
    expect(workers.body.workers.map((w) => w.id)).toEqual(['w1', 'w2'])
    expect(WorkerList.safeParse(workers.body).error).toBeUndefined()
    const tasks = await api.json<{
      tasks: { name: string; args: { name: string; schema: Record<string, unknown> }[] }[]
    }>('/api/tasks')
    expect(tasks.body.tasks.map((t) => t.name)).toEqual([...catalogue.keys()])
    expect(TaskList.safeParse(tasks.body).error).toBeUndefined()
    const sleep = tasks.body.tasks.find((t) => t.name === 'SLEEP')!
    expect(sleep.args[0]).toMatchObject({ name: 'ms', schema: { type: 'integer', minimum: 0 } })
    expect((await api.json('/api/transport')).body).toMatchObject({ reports: 'tcp://127.0.0.1:5555' })
    expect((await api.json('/api/healthz')).body).toMatchObject({ status: 'ok', lastSeq: expect.any(Number) })
    const metrics = await api.request('/api/metrics')
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await metrics.text()
    for (const name of [
      'banzai_pipelines{status="succeeded"}',
      'banzai_tasks_dispatched_total',
      'banzai_tasks_cached_total',
      'banzai_event_log_append_seconds',
      'banzai_event_log_commits_total',
      'banzai_event_log_commit_seconds_total',
      'banzai_workers_connected 2',
      'banzai_http_requests_total',
    ]) {
      expect(text).toContain(name)
    }
  })

  test('/metrics counts every committed tick and the time the commits took', async () => {
    const scrape = async (): Promise<{ commits: number; seconds: number }> => {
      const text = await (await api.request('/api/metrics')).text()
      return {
        commits: readMetric(text, 'banzai_event_log_commits_total') ?? Number.NaN,
        seconds: readMetric(text, 'banzai_event_log_commit_seconds_total') ?? Number.NaN,
      }
    }
    const before = await scrape()
    const probe = probeCommits(api.env.db)
    try {
      const submitted = await api.json<{ id: string }>(
        '/api/pipelines',
        postJson({ tasks: [{ call: 'NOOP' }, { call: 'NOOP' }], cache: false }),
      )
      await api.env.waitForEnd([submitted.body.id])
      const after = await scrape()
      // Only ticks commit while the pipeline runs: each transaction the probe saw is one commit counted.
      const committed = probe.attempts.filter((a) => a.ok).length
      expect(committed).toBeGreaterThanOrEqual(3)
      expect(after.commits - before.commits).toBe(committed)
      expect(after.seconds).toBeGreaterThan(before.seconds)
    } finally {
      probe.restore()
    }
  })

  test('/metrics exports the joined, expired and ignored counts the monitor keeps, as the log has them', async () => {
    // Identical pipelines submitted together: one leads, the others join its step (single flight).
    const doc = [{ call: 'SLEEP', args: [50] }]
    const submitted = await Promise.all(
      [1, 2, 3].map(() => api.json<{ id: string }>('/api/pipelines', postJson(doc))),
    )
    await api.env.waitForEnd(submitted.map((r) => r.body.id))
    const log = [...api.env.log.readAll()]
    const count = (type: string) => log.filter((e) => e.type === type).length
    expect(count('StepJoined')).toBeGreaterThan(0)
    const text = await (await api.request('/api/metrics')).text()
    expect(text).toContain(`banzai_tasks_joined_total ${count('StepJoined')}\n`)
    expect(text).toContain(`banzai_tasks_expired_total ${count('UnitLeaseExpired')}\n`)
    expect(text).toContain(`banzai_tasks_ignored_total ${count('UnitReportIgnored')}\n`)
  })

  test('GET /api/transport is 503 while the transport has no endpoints', async () => {
    const app = createApi({
      monitor: api.env.monitor,
      queries: api.env.queries,
      store: api.env.store,
      catalogue,
      transportInfo: () => null,
    })
    const server = await startApiServer(app, { port: 0, host: '127.0.0.1' })
    try {
      const response = await fetch(`${server.url}/api/transport`)
      expectProblem({ status: response.status, headers: response.headers, body: await response.json() }, 503)
    } finally {
      await server.close()
    }
  })

  test('unknown routes 404, wrong methods 405 with Allow; request ids are echoed', async () => {
    expectProblem(await api.json('/api/nothing'), 404)
    const wrong = await api.json('/api/pipelines/abc', { method: 'PUT' })
    expectProblem(wrong, 405)
    expect(wrong.headers.get('allow')).toBe('DELETE, GET, HEAD')
    const get = await api.json('/api/pipelines/abc/cancel')
    expectProblem(get, 405)
    expect(get.headers.get('allow')).toBe('POST')
    expect(
      (await api.request('/api/healthz', { headers: { 'X-Request-Id': 'req-42' } })).headers.get(
        'x-request-id',
      ),
    ).toBe('req-42')
    expect((await api.request('/api/healthz')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('the OpenAPI 3.1 document validates, and lists every route; the docs page renders it', async () => {
    const { body } = await api.json<{
      openapi: string
      paths: Record<string, Record<string, unknown>>
      components: { schemas: Record<string, { properties?: Record<string, { items?: { $ref?: string } }> }> }
    }>('/api/openapi.json')
    expect(body.openapi).toBe('3.1.0')
    // The domain's shapes are named components, and lists refer to their rows by name.
    const itemRef = (schema: string, field: string) =>
      body.components.schemas[schema]?.properties?.[field]?.items?.$ref
    expect(itemRef('PipelineDetail', 'tasks')).toBe('#/components/schemas/TaskDetail')
    expect(itemRef('SummaryPage', 'items')).toBe('#/components/schemas/PipelineSummary')
    expect(itemRef('EventPage', 'events')).toBe('#/components/schemas/StoredEvent')
    expect(itemRef('WorkerList', 'workers')).toBe('#/components/schemas/Worker')
    expect(itemRef('TaskList', 'tasks')).toBe('#/components/schemas/TaskInfo')
    expect(Object.keys(body.components.schemas)).toEqual(
      expect.arrayContaining(['LogPage', 'CacheInfo', 'PipelineDocument']),
    )
    // The submitted document is described by reference; the route parses it once, with the domain's check.
    expect(JSON.stringify(body.paths['/api/pipelines']?.post)).toContain(
      '"$ref":"#/components/schemas/PipelineDocument"',
    )
    const validator = new Validator()
    const result = await validator.validate(body)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    const routes = Object.entries(body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    )
    expect(routes.sort()).toEqual(
      [
        'POST /api/pipelines',
        'GET /api/pipelines',
        'GET /api/pipelines/{id}',
        'GET /api/pipelines/{id}/events',
        'GET /api/pipelines/{id}/state',
        'GET /api/pipelines/{id}/tasks/{step}/logs',
        'GET /api/pipelines/{id}/tasks/{step}/cache',
        'POST /api/pipelines/{id}/cancel',
        'POST /api/pipelines/{id}/retry',
        'GET /api/events',
        'GET /api/workers',
        'GET /api/tasks',
        'GET /api/transport',
        'GET /api/blobs/{cid}',
        'GET /api/datasets/{cid}/items',
        'DELETE /api/pipelines/{id}',
        'POST /api/gc',
        'POST /api/cache/clear',
        'GET /api/healthz',
        'GET /api/metrics',
      ].sort(),
    )
    const docs = await api.request('/api/docs')
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await docs.text()).toContain('openapi.json')
  })

  test('the dashboard is served at / with an SPA fallback, and nothing outside its folder', async () => {
    expect(await (await api.request('/')).text()).toContain('dashboard')
    expect(await (await api.request('/pipelines/abc')).text()).toContain('dashboard')
    const asset = await api.request('/assets/app.js')
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect((await api.request('/assets/missing.js')).status).toBe(404)
    expect((await api.request('/%2e%2e/package.json')).status).toBe(404)
    expect((await api.request('/', { method: 'POST' })).status).toBe(405)
  })
})
