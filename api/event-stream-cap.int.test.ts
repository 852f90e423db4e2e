import { afterEach, expect, test, vi } from 'vitest'
import { expectProblem } from './testing/expect-problem.ts'
import { openSse } from './testing/sse-client.ts'
import { startTestApi, type TestApi } from './testing/start-test-api.ts'

// Beyond the cap of streams (SPEC §10): 503 with Retry-After; a closed stream frees its slot.
let api: TestApi | undefined
afterEach(async () => {
  await api?.stop()
  api = undefined
})

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
