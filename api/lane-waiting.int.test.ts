import { afterAll, beforeAll, expect, test } from 'vitest'
import type { PipelineDetail } from '../core/domain/index.ts'
import { postJson, startTestApi, type TestApi } from './testing/start-test-api.ts'

// A task on a lane no live worker serves waits as queued, spending no attempt; the API says what
// it waits for, in the detail and as a Warning on the submission, and stops saying it once a
// worker for that lane is there.
let api: TestApi
beforeAll(async () => {
  api = await startTestApi()
})
afterAll(async () => {
  await api.stop()
})

test('a task on an unserved lane shows "waiting for a worker on lane gpu" until a gpu worker comes', async () => {
  const submitted = await api.json<PipelineDetail>(
    '/api/pipelines',
    postJson({ cache: false, tasks: [{ call: 'NOOP', lane: 'gpu' }] }),
  )
  expect(submitted.status).toBe(201)
  expect(submitted.headers.get('warning')).toContain('no live worker serves lane gpu')
  const id = submitted.body.id
  await api.env.waitUntil(() => api.env.queries.detail(id).tasks[0]!.status === 'queued', 'the task to queue')
  const waiting = await api.json<PipelineDetail>(`/api/pipelines/${id}`)
  expect(waiting.body.tasks[0]!.waiting).toBe('waiting for a worker on lane gpu')

  const served = await api.json<PipelineDetail>(
    '/api/pipelines',
    postJson({ cache: false, tasks: [{ call: 'NOOP' }] }),
  )
  expect(served.headers.get('warning')).toBeNull()

  api.env.addWorker(['gpu'])
  await api.env.waitForEnd([id])
  const done = await api.json<PipelineDetail>(`/api/pipelines/${id}`)
  expect(done.body.status).toBe('succeeded')
  expect(done.body.tasks[0]!.waiting).toBeUndefined()
})
