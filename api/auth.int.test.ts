import { afterEach, describe, expect, test } from 'vitest'
import { postJson, startTestApi, type TestApi } from './testing/start-test-api.ts'
import { openSse } from './testing/sse-client.ts'

let api: TestApi | undefined
afterEach(async () => {
  await api?.stop()
  api = undefined
})

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

describe('auth with a write token only', () => {
  test('writes need the token (401 with WWW-Authenticate otherwise); reads stay open', async () => {
    api = await startTestApi({ inProcess: { workers: 0 }, deps: { auth: { token: 'write-secret' } } })
    for (const headers of [
      {},
      bearer('wrong'),
      bearer('write-secre'),
      { Authorization: 'Basic d3JpdGUtc2VjcmV0' },
    ]) {
      const response = await api.json('/api/pipelines', postJson([{ call: 'NOOP' }], headers))
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(response.headers.get('content-type')).toBe('application/problem+json')
    }
    expect((await api.json('/api/pipelines?limit=1000')).body).toMatchObject({ items: [] })
    const created = await api.json<{ id: string }>(
      '/api/pipelines',
      postJson([{ call: 'NOOP' }], bearer('write-secret')),
    )
    expect(created.status).toBe(201)
    expect((await api.request(`/api/pipelines/${created.body.id}/cancel`, { method: 'POST' })).status).toBe(
      401,
    )
    expect(
      (
        await api.request(`/api/pipelines/${created.body.id}/cancel`, {
          method: 'POST',
          headers: bearer('write-secret'),
        })
      ).status,
    ).toBe(202)
    expect((await api.request(`/api/pipelines/${created.body.id}`)).status).toBe(200)
  })

  test('?access_token= is not a way to write', async () => {
    api = await startTestApi({ inProcess: { workers: 0 }, deps: { auth: { token: 'write-secret' } } })
    expect(
      (await api.request('/api/pipelines?access_token=write-secret', postJson([{ call: 'NOOP' }]))).status,
    ).toBe(401)
  })
})

describe('auth with a read token too', () => {
  test('reads need either token; writes only the write token; healthz stays open', async () => {
    api = await startTestApi({
      inProcess: { workers: 0 },
      deps: { auth: { token: 'write-secret', readToken: 'read-secret' } },
    })
    expect((await api.request('/api/pipelines')).status).toBe(401)
    expect((await api.request('/api/pipelines', { headers: bearer('nope') })).status).toBe(401)
    expect((await api.request('/api/pipelines', { headers: bearer('read-secret') })).status).toBe(200)
    expect((await api.request('/api/workers', { headers: bearer('write-secret') })).status).toBe(200)
    expect((await api.request('/api/metrics')).status).toBe(401)
    expect(
      (await api.request('/api/pipelines', postJson([{ call: 'NOOP' }], bearer('read-secret')))).status,
    ).toBe(401)
    expect(
      (await api.request('/api/pipelines', postJson([{ call: 'NOOP' }], bearer('write-secret')))).status,
    ).toBe(201)
    expect((await api.request('/api/healthz')).status).toBe(200)
    expect((await api.request('/api/openapi.json')).status).toBe(200)
  })

  test('?access_token= works on /api/events and nowhere else', async () => {
    api = await startTestApi({
      inProcess: { workers: 0 },
      deps: { auth: { token: 'write-secret', readToken: 'read-secret' } },
    })
    expect((await api.request('/api/pipelines?access_token=read-secret')).status).toBe(401)
    expect((await api.request('/api/tasks?access_token=write-secret')).status).toBe(401)
    const refused = await api.request('/api/events?access_token=wrong')
    expect(refused.status).toBe(401)
    const stream = await openSse(`${api.url}/api/events?access_token=read-secret&after=0`)
    expect(stream.status).toBe(200)
    await api.request('/api/pipelines', postJson([{ call: 'NOOP' }], bearer('write-secret')))
    const [first] = await stream.take(1)
    expect(first!.event).toBe('PipelineSubmitted')
    stream.close()
  })

  test('a read token alone also guards writes', async () => {
    api = await startTestApi({ inProcess: { workers: 0 }, deps: { auth: { readToken: 'read-secret' } } })
    expect((await api.request('/api/pipelines', postJson([{ call: 'NOOP' }]))).status).toBe(401)
    expect(
      (await api.request('/api/pipelines', postJson([{ call: 'NOOP' }], bearer('read-secret')))).status,
    ).toBe(201)
  })
})
