import { describe, expect, it } from 'vitest'
import { placeError, placeErrors } from './field-errors.ts'
import { appendTask, readDraft } from './pipeline-document.ts'

describe('placeError', () => {
  it('reads the paths of the API', () => {
    expect(placeError('tasks[2].args[0]')).toEqual({ at: 'arg', task: 2, arg: 0 })
    expect(placeError('[1].args[3]')).toEqual({ at: 'arg', task: 1, arg: 3 })
    expect(placeError('tasks[1].call')).toEqual({ at: 'task', task: 1, field: 'call' })
    expect(placeError('tasks[0].args')).toEqual({ at: 'task', task: 0, field: 'args' })
    expect(placeError('name')).toEqual({ at: 'document', field: 'name' })
  })
  it('puts graph errors (ids, inputs, kinds) beside their task', () => {
    expect(placeError('tasks[3].inputs[1]')).toEqual({ at: 'task', task: 3, field: 'inputs' })
    expect(placeError('tasks[1].id')).toEqual({ at: 'task', task: 1, field: 'id' })
    expect(placeError('tasks[2]')).toEqual({ at: 'task', task: 2, field: null })
  })
  it('reads the graph fields of a draft', () => {
    const draft = readDraft(
      '{"tasks": [{"id": "a", "inputs": [], "call": "NOOP"}, {"inputs": ["a"], "call": "NOOP"}]}',
    )
    expect(draft.ok && draft.tasks.map((t) => [t.id, t.inputs])).toEqual([
      ['a', []],
      [undefined, ['a']],
    ])
  })
  it('groups errors by place', () => {
    const placed = placeErrors([
      { path: 'tasks[0].args[0]', message: 'a' },
      { path: 'tasks[0].call', message: 'b' },
      { path: 'tasks', message: 'c' },
    ])
    expect(placed.arg(0, 0).map((e) => e.message)).toEqual(['a'])
    expect(placed.task(0).map((e) => e.message)).toEqual(['b'])
    expect(placed.document.map((e) => e.message)).toEqual(['c'])
    expect(placed.arg(1, 0)).toEqual([])
  })
})

describe('pipeline drafts', () => {
  it('reads both document forms and reports bad JSON', () => {
    expect(readDraft('[{"call":"NOOP"}]')).toMatchObject({
      ok: true,
      name: null,
      tasks: [{ call: 'NOOP', args: [] }],
    })
    expect(readDraft('{"name":"x","tasks":[]}')).toMatchObject({ ok: true, name: 'x', tasks: [] })
    expect(readDraft('{"tasks":')).toMatchObject({ ok: false })
  })
  it('appends a task from the catalogue', () => {
    expect(JSON.parse(appendTask('[]', 'SLEEP', 1))).toEqual([{ call: 'SLEEP', args: [null] }])
    expect(JSON.parse(appendTask('{"name":"n","tasks":[]}', 'NOOP', 0))).toEqual({
      name: 'n',
      tasks: [{ call: 'NOOP', args: [] }],
    })
  })
})
