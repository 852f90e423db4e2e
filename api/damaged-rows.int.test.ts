import { afterEach, expect, test } from 'vitest'
import type { PipelineDetail, SummaryPage } from '../core/domain/index.ts'
import { postJson, startTestApi, type TestApi } from './testing/start-test-api.ts'

let api: TestApi | undefined
afterEach(async () => {
  await api?.stop()
  api = undefined
})

test('a damaged pipelines.detail row never makes GET /api/pipelines answer 500: it is rebuilt from events, with a warning', async () => {
  const warnings: string[] = []
  api = await startTestApi({ inProcess: { warn: (m) => warnings.push(m) } })
  const submitted = await api.json<{ id: string }>('/api/pipelines', postJson([{ call: 'NOOP' }]))
  const { id } = submitted.body
  await api.env.waitForEnd([id])
  const before = await api.json<PipelineDetail>(`/api/pipelines/${id}`)
  api.env.db.prepare(`UPDATE pipelines SET detail = '{"id": "broken' WHERE id = ?`).run(id)

  const list = await api.json<SummaryPage>('/api/pipelines')
  expect(list.status).toBe(200)
  expect(list.body.items.find((s) => s.id === id)).toMatchObject({ status: 'succeeded', steps: 1 })
  const detail = await api.json<PipelineDetail>(`/api/pipelines/${id}`)
  expect(detail.status).toBe(200)
  expect(detail.body).toEqual(before.body)
  expect(warnings.join('\n')).toMatch(
    new RegExp(`pipelines\\.detail of ${id} is not JSON.*answered pipeline ${id} from its \\d+ events`),
  )
  expect(warnings).toHaveLength(1) // once per pipeline, not per request
})

test('a row of another snapshot version is answered from events too', async () => {
  api = await startTestApi()
  const { id } = (await api.json<{ id: string }>('/api/pipelines', postJson([{ call: 'NOOP' }]))).body
  await api.env.waitForEnd([id])
  api.env.db
    .prepare(
      `UPDATE pipelines SET snapshot_version = 7, detail = json_set(detail, '$.name', 'stale') WHERE id = ?`,
    )
    .run(id)
  const detail = await api.json<PipelineDetail>(`/api/pipelines/${id}`)
  expect(detail.status).toBe(200)
  expect(detail.body.name).not.toBe('stale')
  expect((await api.json<SummaryPage>('/api/pipelines')).status).toBe(200)
})
