import { afterEach, expect, test, vi } from 'vitest'
import { expectProblem } from './testing/expect-problem.ts'
import { openSse } from './testing/sse-client.ts'
import { postJson, startTestApi, type TestApi } from './testing/start-test-api.ts'

// Beyond the cap of streams (SPEC §10): 503 with Retry-After; a closed stream frees its slot.
let api: TestApi | undefined
afterEach(async () => {
  await api?.stop()
  api = undefined
})

/** Records every page that the API reads from the monitor's log, as it reads it. */
function recordReads(t: TestApi): { seq: number; limit: number }[] {
  const reads: { seq: number; limit: number }[] = []
  const monitor = t.env.monitor
  const readAfter = monitor.readAfter.bind(monitor)
  monitor.readAfter = (seq: number, limit: number) => {
    reads.push({ seq, limit })
    return readAfter(seq, limit)
  }
  return reads
}

test('beyond the cap a stream is refused with 503 and Retry-After; a closed stream frees its slot', async () => {
  api = await startTestApi({ deps: { eventStreamLimits: { maxStreams: 2, retryAfterSeconds: 7 } } })
  const a = await openSse(`${api.url}/api/events?after=0`)
  const b = await openSse(`${api.url}/api/events?after=0`)
  expect([a.status, b.status]).toEqual([200, 200])
  const refused = await api.json('/api/events?after=0')
  expectProblem(refused, 503)
  expect(refused.headers.get('retry-after')).toBe('7')
  a.close()
  await vi.waitFor(async () => {
    const again = await openSse(`${api!.url}/api/events?after=0`)
    expect(again.status).toBe(200)
    again.close()
  })
  b.close()
})

test('history is read in pages of the configured size, through the gate', async () => {
  api = await startTestApi({ deps: { eventStreamLimits: { pageSize: 7 } } })
  for (let i = 0; i < 4; i++)
    await api.json('/api/pipelines', postJson({ tasks: [{ call: 'NOOP' }], cache: false }))
  await vi.waitFor(() => expect(api!.env.monitor.lastSeq()).toBeGreaterThan(20))
  const reads = recordReads(api)
  const stream = await openSse(`${api.url}/api/events?after=0`)
  const frames = await stream.take(21)
  expect(frames.map((f) => Number(f.id))).toEqual(Array.from({ length: 21 }, (_, i) => i + 1))
  stream.close()
  expect(reads.length).toBeGreaterThanOrEqual(3)
  expect(new Set(reads.map((r) => r.limit))).toEqual(new Set([7]))
})

test('streams replaying the same history share its pages: each is read from the log once, not once a stream', async () => {
  api = await startTestApi({ inProcess: { workers: 1 }, deps: { eventStreamLimits: { pageSize: 50 } } })
  const ids: string[] = []
  for (let i = 0; i < 20; i++)
    ids.push(
      (
        await api.json<{ id: string }>(
          '/api/pipelines',
          postJson({ tasks: [{ call: 'NOOP' }], cache: false }),
        )
      ).body.id,
    )
  await api.env.waitForEnd(ids)
  const last = api.env.monitor.lastSeq()
  const pages = Math.ceil((last + 1) / 50)
  const reads = recordReads(api)
  const streams = await Promise.all(
    Array.from({ length: 30 }, () => openSse(`${api!.url}/api/events`, { 'Last-Event-ID': '0' })),
  )
  const seen = await Promise.all(streams.map((s) => s.take(last)))
  for (const frames of seen)
    expect(frames.map((f) => Number(f.id))).toEqual(Array.from({ length: last }, (_, i) => i + 1))
  for (const s of streams) s.close()
  // Without sharing: 30 × pages reads. With it: each page once (a commit in between re-reads the tail).
  expect(reads.length).toBeLessThanOrEqual(pages + 2)
})
