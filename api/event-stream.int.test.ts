import { afterEach, describe, expect, test, vi } from 'vitest'
import type { StoredEvent } from '../core/domain/index.ts'
import { postJson, startTestApi, type TestApi } from './testing/start-test-api.ts'
import { openSse, type SseFrame } from './testing/sse-client.ts'

let api: TestApi | undefined
afterEach(async () => {
  await api?.stop()
  api = undefined
})

async function submitAndFinish(
  t: TestApi,
  count: number,
  doc: unknown = [{ call: 'NOOP' }, { call: 'NOOP' }],
): Promise<void> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const response = await t.json<{ id: string }>('/api/pipelines', postJson({ tasks: doc, cache: false }))
    ids.push(response.body.id)
  }
  await t.env.waitForEnd(ids)
}

function expectConsecutive(frames: SseFrame[], from: number, to: number): void {
  const ids = frames.map((f) => Number(f.id))
  expect(ids).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i))
  for (const frame of frames) {
    const event = JSON.parse(frame.data) as StoredEvent
    expect(event.seq).toBe(Number(frame.id))
    expect(frame.event).toBe(event.type)
  }
}

/** Counts the monitor listeners the API holds, to check that a closed stream lets go of its own. */
function countListeners(t: TestApi): () => number {
  const original = t.env.monitor.onCommitted.bind(t.env.monitor)
  let active = 0
  t.env.monitor.onCommitted = (listener) => {
    active++
    const off = original(listener)
    return () => {
      active--
      return off()
    }
  }
  return () => active
}

describe('GET /api/events (Server-Sent Events)', () => {
  test('a client that reconnects with Last-Event-ID gets exactly the events it missed', async () => {
    api = await startTestApi()
    const listeners = countListeners(api)
    await submitAndFinish(api, 2)
    const stream = await openSse(`${api.url}/api/events?after=0`)
    expect(stream.status).toBe(200)
    const seen = await stream.take(5)
    expectConsecutive(seen, 1, 5)
    stream.close()
    await vi.waitFor(() => expect(listeners()).toBe(0))
    await submitAndFinish(api, 3)
    const last = api.env.monitor.lastSeq()
    const resumed = await openSse(`${api.url}/api/events?after=999999`, { 'Last-Event-ID': seen.at(-1)!.id! })
    expectConsecutive(await resumed.take(last - 5), 6, last)
    // Then it goes on live.
    await submitAndFinish(api, 1)
    const now = api.env.monitor.lastSeq()
    expectConsecutive(await resumed.take(now - last), last + 1, now)
    resumed.close()
    await vi.waitFor(() => expect(listeners()).toBe(0))
    expect((await api.request('/api/events', { method: 'HEAD' })).status).toBe(200)
    expect(listeners()).toBe(0)
  })

  test('no gap and no duplicate when events are committed while the log is being replayed', async () => {
    api = await startTestApi({ inProcess: { workers: 2, slots: 4 } })
    await submitAndFinish(api, 60) // about 700 events: more than one replay page
    const busy = submitAndFinish(api, 60)
    const stream = await openSse(`${api.url}/api/events?after=0`)
    await busy
    const last = api.env.monitor.lastSeq()
    expectConsecutive(await stream.take(last, 20_000), 1, last)
    stream.close()
  })

  test('without a position it starts from the latest event; a bad Last-Event-ID is 400; heartbeats flow', async () => {
    api = await startTestApi({ inProcess: { workers: 1 }, deps: { sseHeartbeatMs: 30 } })
    await submitAndFinish(api, 1)
    const before = api.env.monitor.lastSeq()
    const stream = await openSse(`${api.url}/api/events`)
    await submitAndFinish(api, 1)
    const [first] = await stream.take(1)
    expect(Number(first!.id)).toBe(before + 1)
    stream.close()
    expect((await api.request('/api/events', { headers: { 'Last-Event-ID': 'abc' } })).status).toBe(400)
    const raw = await api.request('/api/events')
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reader = raw.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while (!text.includes(': ping')) text += (await reader.read()).value ?? ''
    await reader.cancel()
  })
})
