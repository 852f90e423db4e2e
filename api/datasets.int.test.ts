import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Cid, DATASET_KIND, type DatasetItem, DatasetItemPage, writeJson } from '../core/domain/index.ts'
import { startTestApi, type TestApi } from './testing/start-test-api.ts'

let api: TestApi
let dataset: Cid
let notDataset: Cid
const COUNT = 2_500
beforeAll(async () => {
  api = await startTestApi({ inProcess: { workers: 0 } })
  const audio = (await api.env.store.put(new TextEncoder().encode('one blob'))).cid
  const items: DatasetItem[] = Array.from({ length: COUNT }, (_, i) => ({
    id: `s/u${i}`,
    speaker: i % 2 ? 'odd' : 'even',
    utterance: `u${i}`,
    audio,
    sampleRate: 16_000,
    channels: 1,
    samples: i,
    seconds: i / 16_000,
  }))
  const sources = [{ url: 'file:///z.zip', cid: audio, skipped: [{ entry: 'x', reason: 'not a WAV' }] }]
  dataset = await writeJson(api.env.store, { kind: DATASET_KIND, sources, items })
  notDataset = await writeJson(api.env.store, { kind: 'something else' })
})
afterAll(async () => {
  await api.stop()
})

async function page(query: string): Promise<DatasetItemPage> {
  const response = await api.request(`/api/datasets/${dataset}/items${query}`)
  expect(response.status).toBe(200)
  return DatasetItemPage.parse(await response.json())
}

describe('GET /api/datasets/:cid/items', () => {
  test('pages through every item once, in order; 100 by default, at most 1000', async () => {
    const first = await page('')
    expect(first.items).toHaveLength(100)
    expect(first).toMatchObject({ total: COUNT, next: 100, sources: [{ url: 'file:///z.zip', skipped: 1 }] })
    const seen: string[] = []
    let after: number | null = 0
    while (after !== null) {
      const p = await page(`?after=${after}&limit=1000`)
      expect(p.items.length).toBeLessThanOrEqual(1000)
      seen.push(...p.items.map((i) => i.id))
      after = p.next
    }
    expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => `s/u${i}`))
    expect((await page(`?after=${COUNT}`)).items).toEqual([])
  })

  test("?speaker= pages through that speaker's items only; every page names all speakers", async () => {
    const odd = await page('?speaker=odd&limit=1000')
    expect(odd).toMatchObject({ total: COUNT / 2, next: 1000, speakers: ['even', 'odd'] })
    expect(odd.items.every((i) => i.speaker === 'odd')).toBe(true)
    expect(odd.seconds).toBeCloseTo((COUNT / 2) ** 2 / 16_000, 6) // odd samples 1 + 3 + … sum to (COUNT/2)²
  })

  test('a bad limit is 400, an unknown blob 404, a blob that is not a dataset 422', async () => {
    expect((await api.request(`/api/datasets/${dataset}/items?limit=1001`)).status).toBe(400)
    const unknown = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
    expect((await api.request(`/api/datasets/${unknown}/items`)).status).toBe(404)
    expect((await api.request(`/api/datasets/${notDataset}/items`)).status).toBe(422)
  })

  test('is in the OpenAPI document', async () => {
    const doc = (await (await api.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toContain('/api/datasets/{cid}/items')
  })
})
