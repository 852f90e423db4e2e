import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { postJson, startTestApi, type TestApi } from './testing/start-test-api.ts'

let api: TestApi
beforeAll(async () => {
  // No workers: nothing runs, so the test measures submission alone.
  api = await startTestApi({ inProcess: { workers: 0 } })
})
afterAll(async () => {
  await api.stop()
})

async function countPipelines(): Promise<string[]> {
  const ids: string[] = []
  let after: string | null = null
  do {
    const query: string = after ? `?limit=1000&after=${after}` : '?limit=1000'
    const page = await api.json<{ items: { id: string }[]; next: string | null }>(`/api/pipelines${query}`)
    ids.push(...page.body.items.map((i) => i.id))
    after = page.body.next
  } while (after)
  return ids
}

const N = 1000

async function submitAll(): Promise<{ status: number; id: string }[]> {
  return Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const response = await api.json<{ id: string }>(
        '/api/pipelines',
        postJson([{ call: 'NOOP' }], { 'Idempotency-Key': `bulk-${i}` }),
      )
      return { status: response.status, id: response.body.id }
    }),
  )
}

describe('concurrent submissions', () => {
  test('1,000 concurrent POSTs record 1,000 pipelines with unique ids; the same keys again record none', async () => {
    const first = await submitAll()
    expect(first.every((r) => r.status === 201)).toBe(true)
    expect(new Set(first.map((r) => r.id)).size).toBe(N)
    const listed = await countPipelines()
    expect(listed).toHaveLength(N)
    expect(new Set(listed)).toEqual(new Set(first.map((r) => r.id)))

    const again = await submitAll()
    expect(again.every((r) => r.status === 200)).toBe(true)
    expect(again.map((r) => r.id)).toEqual(first.map((r) => r.id))
    expect(await countPipelines()).toHaveLength(N)
  })

  test('the same new key sent 50 times at once makes one pipeline', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.json<{ id: string }>(
          '/api/pipelines',
          postJson([{ call: 'NOOP' }], { 'Idempotency-Key': 'racing-key' }),
        ),
      ),
    )
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1)
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1)
    expect(await countPipelines()).toHaveLength(N + 1)
  })
})
