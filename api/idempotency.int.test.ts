import { afterAll, beforeAll, expect, test } from 'vitest'
import { expectProblem } from './testing/expect-problem.ts'
import { postJson, startTestApi, type TestApi } from './testing/start-test-api.ts'

// An Idempotency-Key names one request: the same body again is the same pipeline (200); another
// body, or a retry of another pipeline, under that key is refused with 422 and records nothing.
let api: TestApi
beforeAll(async () => {
  api = await startTestApi()
})
afterAll(async () => {
  await api.stop()
})

function countPipelines(): number {
  return api.env.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM pipelines').get()!.n
}

test('the same key with a different body answers 422 naming the first pipeline', async () => {
  const key = { 'Idempotency-Key': 'key-body-1' }
  const first = await api.json<{ id: string }>('/api/pipelines', postJson([{ call: 'NOOP' }], key))
  expect(first.status).toBe(201)
  // Same document written differently (object form, keys reordered) is the same request.
  const same = await api.json<{ id: string }>(
    '/api/pipelines',
    postJson({ tasks: [{ args: [], call: 'NOOP' }] }, key),
  )
  expect(same.status).toBe(200)
  expect(same.body.id).toBe(first.body.id)
  const before = countPipelines()
  const other = await api.json('/api/pipelines', postJson([{ call: 'SLEEP', args: [10] }], key))
  const problem = expectProblem(other, 422)
  expect(problem.detail).toContain(`already used for pipeline ${first.body.id} with a different body`)
  expect(problem.errors[0]?.path).toBe('Idempotency-Key')
  expect(countPipelines()).toBe(before)
})

test('the same key on a retry of another pipeline answers 422', async () => {
  const a = await api.json<{ id: string }>('/api/pipelines', postJson([{ call: 'NOOP' }]))
  const b = await api.json<{ id: string }>('/api/pipelines', postJson([{ call: 'NOOP' }]))
  await api.env.waitUntil(
    () => [a.body.id, b.body.id].every((id) => api.env.queries.detail(id).status === 'succeeded'),
    'both pipelines to succeed',
  )
  const key = { 'Idempotency-Key': 'key-retry-1' }
  const retried = await api.json(`/api/pipelines/${a.body.id}/retry`, postJson(undefined, key))
  expect(retried.status).toBe(201)
  const again = await api.json(`/api/pipelines/${a.body.id}/retry`, postJson(undefined, key))
  expect(again.status).toBe(200)
  const problem = expectProblem(
    await api.json(`/api/pipelines/${b.body.id}/retry`, postJson(undefined, key)),
    422,
  )
  expect(problem.detail).toContain('different retried pipeline')
})
