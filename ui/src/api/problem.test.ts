import { describe, expect, it } from 'vitest'
import { parseProblem } from './problem.ts'

describe('parseProblem', () => {
  it('reads a problem+json body with field errors', () => {
    const body = JSON.stringify({
      type: 'about:blank',
      title: 'Invalid pipeline',
      status: 400,
      detail: 'bad',
      errors: [{ path: 'tasks[0].args[0]', message: 'm' }, { nope: 1 }],
    })
    expect(parseProblem(400, 'Bad Request', body)).toEqual({
      type: 'about:blank',
      title: 'Invalid pipeline',
      status: 400,
      detail: 'bad',
      errors: [{ path: 'tasks[0].args[0]', message: 'm' }],
    })
  })
  it('copes with text and empty bodies', () => {
    expect(parseProblem(502, 'Bad Gateway', 'upstream down')).toMatchObject({
      title: 'Bad Gateway',
      status: 502,
      detail: 'upstream down',
      errors: [],
    })
    expect(parseProblem(500, '', '')).toMatchObject({ title: 'HTTP 500' })
  })
})
