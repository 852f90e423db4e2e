import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CacheInfo, EventPage, LogPage, PipelineDetail } from '../core/domain/index.ts'
import { expectProblem } from './testing/expect-problem.ts'
import { postJson, startTestApi, type TestApi } from './testing/start-test-api.ts'

type Detail = {
  id: string
  name: string
  status: string
  retryOf: string | null
  labels: Record<string, string>
  tasks: { status: string; output: string | null }[]
}

let api: TestApi
beforeAll(async () => {
  api = await startTestApi()
})
afterAll(async () => {
  await api.stop()
})

async function submit(doc: unknown, headers: Record<string, string> = {}): Promise<Detail> {
  const { status, body } = await api.json<Detail>('/api/pipelines', postJson(doc, headers))
  expect(status).toBe(201)
  return body
}

describe('POST /api/pipelines', () => {
  test('the seed form is recorded: 201, Location, the detail', async () => {
    const response = await api.json<Detail>('/api/pipelines', postJson([{ call: 'NOOP' }]))
    expect(response.status).toBe(201)
    expect(response.headers.get('location')).toBe(`/api/pipelines/${response.body.id}`)
    expect(response.body).toMatchObject({ name: 'NOOP', tasks: [{ status: expect.any(String) }] })
    const again = await api.json<Detail>(response.headers.get('location')!)
    expect(again.body.id).toBe(response.body.id)
  })

  test('the object form keeps name and labels', async () => {
    const detail = await submit({
      name: 'named',
      tasks: [{ call: 'NOOP', lane: 'default' }],
      labels: { team: 'audio' },
      cache: false,
    })
    expect(detail).toMatchObject({ name: 'named', labels: { team: 'audio' } })
  })

  test('a document that breaks a rule is 422, each error naming the path; nothing is recorded', async () => {
    const before = (await api.json<{ items: unknown[] }>('/api/pipelines?limit=1000')).body.items.length
    const response = await api.json(
      '/api/pipelines',
      postJson([{ call: 'EXTRACT_MFCC', args: ['32', 24, 1, 8000, 16000] }, { call: 'NOPE' }]),
    )
    const problem = expectProblem(response, 422)
    expect(problem.errors.map((e) => e.path)).toEqual(['tasks[0].args[0]', 'tasks[1].call'])
    expect(problem.errors[0]!.message).toMatch(
      /tasks\[0\]\.args\[0\] \(nfilt\) must be an integer between 1 and 128, got "32"/,
    )
    expect((await api.json<{ items: unknown[] }>('/api/pipelines?limit=1000')).body.items.length).toBe(before)
  })

  test('unknown fields, empty documents and wrong shapes are 422', async () => {
    expectProblem(await api.json('/api/pipelines', postJson({ tasks: [{ call: 'NOOP' }], extra: 1 })), 422)
    expectProblem(await api.json('/api/pipelines', postJson([])), 422)
    expectProblem(await api.json('/api/pipelines', postJson('"text"')), 422)
    expectProblem(await api.json('/api/pipelines', postJson({ tasks: [{ call: 'NOOP', args: null }] })), 422)
    const deep = `${'['.repeat(200_000)}{"call":"NOOP"}${']'.repeat(200_000)}`
    expectProblem(await api.json('/api/pipelines', postJson(deep)), 422)
    const deepArgs = `[{"call":"FAIL","args":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}]`
    expectProblem(await api.json('/api/pipelines', postJson(deepArgs)), 422)
  })

  test('bad JSON is 400, another media type 415, a body over the limit 413', async () => {
    expectProblem(await api.json('/api/pipelines', postJson('{"tasks": [')), 400)
    expectProblem(
      await api.json('/api/pipelines', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: '[]',
      }),
      415,
    )
    const huge = JSON.stringify([{ call: 'FAIL', args: ['x'.repeat(1024 * 1024 + 10)] }])
    expectProblem(await api.json('/api/pipelines', postJson(huge)), 413)
  })

  test('a chunked body (no Content-Length) is read to its end and limited too; a BOM is dropped', async () => {
    const chunked = (text: string): RequestInit & { duplex: 'half' } => {
      const bytes = new TextEncoder().encode(text)
      const step = 64 * 1024
      return {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        duplex: 'half',
        body: new ReadableStream<Uint8Array>({
          start(controller) {
            for (let at = 0; at < bytes.length; at += step) controller.enqueue(bytes.subarray(at, at + step))
            controller.close()
          },
        }),
      }
    }
    const ok = await api.json<Detail>('/api/pipelines', chunked('\ufeff[{"call":"NOOP"}]'))
    expect(ok.status).toBe(201)
    expect(ok.body.tasks).toHaveLength(1)
    const huge = JSON.stringify([{ call: 'FAIL', args: ['x'.repeat(1024 * 1024 + 10)] }])
    expectProblem(await api.json('/api/pipelines', chunked(huge)), 413)
    expectProblem(await api.json('/api/pipelines', chunked('[{"call":')), 400)
  })

  test('Idempotency-Key: the same key returns the same pipeline (200), never a second one', async () => {
    const first = await submit([{ call: 'NOOP' }], { 'Idempotency-Key': 'contract-key-1' })
    const again = await api.json<Detail>(
      '/api/pipelines',
      postJson([{ call: 'NOOP' }], { 'Idempotency-Key': 'contract-key-1' }),
    )
    expect(again.status).toBe(200)
    expect(again.body.id).toBe(first.id)
    expect(again.headers.get('location')).toBe(`/api/pipelines/${first.id}`)
  })
})

describe('reading pipelines', () => {
  test('GET /api/pipelines pages newest first with next, filters by status, validates its query', async () => {
    const ids = [
      await submit([{ call: 'NOOP' }]),
      await submit([{ call: 'NOOP' }]),
      await submit([{ call: 'NOOP' }]),
    ].map((d) => d.id)
    const page1 = await api.json<{ items: { id: string }[]; next: string }>('/api/pipelines?limit=2')
    expect(page1.body.items.map((i) => i.id)).toEqual([ids[2], ids[1]])
    const page2 = await api.json<{ items: { id: string }[] }>(
      `/api/pipelines?limit=2&after=${page1.body.next}`,
    )
    expect(page2.body.items[0]!.id).toBe(ids[0])
    await api.env.waitForEnd(ids)
    const succeeded = await api.json<{ items: { status: string }[] }>(
      '/api/pipelines?status=succeeded&limit=1000',
    )
    expect(succeeded.body.items.length).toBeGreaterThanOrEqual(3)
    expect(succeeded.body.items.every((i) => i.status === 'succeeded')).toBe(true)
    for (const query of ['status=done', 'limit=0', 'limit=1001', 'limit=abc', 'after=bad%20id']) {
      expectProblem(await api.json(`/api/pipelines?${query}`), 400)
    }
  })

  test('GET /api/pipelines/:id: 404 for an unknown id, 400 for a malformed one', async () => {
    expectProblem(await api.json('/api/pipelines/nope'), 404)
    expectProblem(await api.json('/api/pipelines/bad%20id!'), 400)
  })

  test('events page by pipelineSeq; state?at=N replays; logs and cache of a step', async () => {
    const first = await submit([{ call: 'MAKE_DATASET', args: [3] }, { call: 'NOOP' }])
    await api.env.waitForEnd([first.id])
    const all = await api.json<{ events: { pipelineSeq: number; type: string }[]; next: number | null }>(
      `/api/pipelines/${first.id}/events`,
    )
    expect(all.body.events[0]!.type).toBe('PipelineSubmitted')
    expect(all.body.events.at(-1)!.type).toBe('PipelineSucceeded')
    expect(all.body.next).toBeNull()
    expect(EventPage.safeParse(all.body).error).toBeUndefined()
    const page = await api.json<{ events: { pipelineSeq: number }[]; next: number }>(
      `/api/pipelines/${first.id}/events?after=1&limit=2`,
    )
    expect(page.body.events.map((e) => e.pipelineSeq)).toEqual([2, 3])
    expect(page.body.next).toBe(3)
    const state = await api.json<Detail>(`/api/pipelines/${first.id}/state?at=1`)
    expect(state.body.status).toBe('queued')
    expect(state.body.tasks.map((t) => t.status)).toEqual(['pending', 'pending'])
    expect(PipelineDetail.safeParse(state.body).error).toBeUndefined()
    expectProblem(await api.json(`/api/pipelines/${first.id}/state`), 400)
    expectProblem(await api.json(`/api/pipelines/${first.id}/state?at=0`), 400)
    expectProblem(await api.json(`/api/pipelines/nope/events`), 404)
    const logs = await api.json<{ lines: unknown[]; next: number | null }>(
      `/api/pipelines/${first.id}/tasks/0/logs`,
    )
    expect(logs.status).toBe(200)
    expect(logs.body).toMatchObject({ lines: expect.any(Array), next: null })
    expect(LogPage.safeParse(logs.body).error).toBeUndefined()
    expectProblem(await api.json(`/api/pipelines/${first.id}/tasks/7/logs`), 404)
    expectProblem(await api.json(`/api/pipelines/${first.id}/tasks/x/logs`), 400)
    const second = await submit([{ call: 'MAKE_DATASET', args: [3] }, { call: 'NOOP' }])
    await api.env.waitForEnd([second.id])
    const cache = await api.json<{ status: string; from: { pipelineId: string } }>(
      `/api/pipelines/${second.id}/tasks/1/cache`,
    )
    expect(cache.body).toMatchObject({ status: 'hit', from: { pipelineId: first.id } })
    expect(CacheInfo.safeParse(cache.body).error).toBeUndefined()
    expectProblem(await api.json(`/api/pipelines/${second.id}/tasks/5/cache`), 404)
  })
})

describe('cancel and retry', () => {
  test('cancel a live pipeline 202, again 409; retry while live 409, after it ended 201 with retryOf', async () => {
    const live = await submit([{ call: 'SLEEP', args: [60_000] }])
    expectProblem(await api.json(`/api/pipelines/${live.id}/retry`, { method: 'POST' }), 409)
    const cancelled = await api.json<Detail>(`/api/pipelines/${live.id}/cancel`, { method: 'POST' })
    expect(cancelled.status).toBe(202)
    expect(cancelled.body.status).toBe('cancelled')
    expectProblem(await api.json(`/api/pipelines/${live.id}/cancel`, { method: 'POST' }), 409)
    expectProblem(await api.json(`/api/pipelines/nope/cancel`, { method: 'POST' }), 404)
    const retried = await api.json<Detail>(`/api/pipelines/${live.id}/retry`, { method: 'POST' })
    expect(retried.status).toBe(201)
    expect(retried.headers.get('location')).toBe(`/api/pipelines/${retried.body.id}`)
    expect(retried.body).toMatchObject({ retryOf: live.id, name: live.name })
    await api.json(`/api/pipelines/${retried.body.id}/cancel`, { method: 'POST' })
  })

  test('retry of a succeeded pipeline turns its steps into cache hits', async () => {
    const done = await submit([{ call: 'MAKE_DATASET', args: [2] }])
    await api.env.waitForEnd([done.id])
    const retried = await api.json<Detail>(`/api/pipelines/${done.id}/retry`, { method: 'POST' })
    await api.env.waitForEnd([retried.body.id])
    const detail = await api.json<Detail & { tasks: { cacheHit: boolean }[] }>(
      `/api/pipelines/${retried.body.id}`,
    )
    expect(detail.body.tasks[0]!.cacheHit).toBe(true)
  })
})
