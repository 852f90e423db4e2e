import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PipelineDetail, TaskList } from '../core/domain/index.ts'
import { expectProblem } from './testing/expect-problem.ts'
import { postJson, startTestApi, type TestApi } from './testing/start-test-api.ts'

let api: TestApi
beforeAll(async () => {
  api = await startTestApi()
})
afterAll(async () => {
  await api.stop()
})

type Schemas = Record<string, { properties?: Record<string, unknown>; anyOf?: unknown[] }>

describe('graph documents over the API', () => {
  test('a graph is recorded; the detail lists each step with its id and inputs', async () => {
    const response = await api.json<unknown>(
      '/api/pipelines',
      postJson({
        tasks: [
          { id: 'a', inputs: [], call: 'MAKE_DATASET', args: [2] },
          { id: 'b', inputs: [], call: 'SLEEP', args: [1] },
          { id: 'c', inputs: ['a'], call: 'ECHO_ITEMS' },
        ],
      }),
    )
    expect(response.status).toBe(201)
    const detail = PipelineDetail.parse(response.body)
    expect(detail.tasks.map((t) => [t.id, t.inputs])).toEqual([
      ['a', []],
      ['b', []],
      ['c', [0]],
    ])
  })

  test('a cycle, an unknown input and a duplicate id are 422, each error beside its task', async () => {
    const cycle = await api.json(
      '/api/pipelines',
      postJson({
        tasks: [
          { id: 'x', inputs: ['y'], call: 'NOOP' },
          { id: 'y', inputs: ['x'], call: 'NOOP' },
        ],
      }),
    )
    expect(expectProblem(cycle, 422).errors).toEqual([
      { path: 'tasks[1].inputs[0]', message: 'tasks[1].inputs[0] makes a cycle: x → y → x' },
    ])
    const unknown = await api.json(
      '/api/pipelines',
      postJson({
        tasks: [
          { id: 'x', call: 'NOOP' },
          { inputs: ['nope'], call: 'NOOP' },
        ],
      }),
    )
    expect(expectProblem(unknown, 422).errors.map((e) => e.path)).toEqual(['tasks[1].inputs[0]'])
    const twice = await api.json(
      '/api/pipelines',
      postJson([
        { id: 'x', call: 'NOOP' },
        { id: 'x', call: 'NOOP' },
      ]),
    )
    expect(expectProblem(twice, 422).errors.map((e) => e.path)).toEqual(['tasks[1].id'])
    const kind = await api.json(
      '/api/pipelines',
      postJson([
        { id: 'm', call: 'MAKE_DATASET', args: [1] },
        { id: 'l', call: 'LEARN' },
        { inputs: ['l'], call: 'ECHO_ITEMS' },
      ]),
    )
    expect(expectProblem(kind, 422).errors[0]?.message).toBe(
      'tasks[2].inputs[0]: ECHO_ITEMS accepts dataset, but tasks[1] ("l") (LEARN) gives a model',
    )
  })

  test('GET /tasks says what each task accepts and produces', async () => {
    const tasks = TaskList.parse((await api.json<unknown>('/api/tasks')).body).tasks
    const learn = tasks.find((t) => t.name === 'LEARN')
    expect([learn?.accepts, learn?.produces]).toEqual([['dataset'], 'model'])
  })

  test('the OpenAPI document describes the new fields', async () => {
    const { body } = await api.json<{ components: { schemas: Schemas } }>('/api/openapi.json')
    const text = JSON.stringify(body.components.schemas.PipelineDocument)
    expect(text).toContain('"inputs"')
    expect(text).toContain('"id"')
    expect(Object.keys(body.components.schemas.TaskDetail?.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'inputs']),
    )
    expect(Object.keys(body.components.schemas.TaskInfo?.properties ?? {})).toEqual(
      expect.arrayContaining(['accepts', 'produces']),
    )
  })
})
