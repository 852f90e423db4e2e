import { HTTPException } from 'hono/http-exception'
import { describe, expect, test } from 'vitest'
import { BanzaiError, NotFoundError, ValidationError } from '../../core/domain/index.ts'
import { isSameToken } from './auth.ts'
import { HttpProblem, MAX_FIELD_ERRORS, toProblem } from './problem.ts'

describe('toProblem', () => {
  test('maps every domain error code to its status in one place', () => {
    const cases: [BanzaiError, number][] = [
      [
        new ValidationError('bad', [
          { path: 'tasks[0].call', message: 'tasks[0].call must be a known task' },
        ]),
        422,
      ],
      [new NotFoundError('no pipeline x'), 404],
      [new BanzaiError('conflict', 'already ended'), 409],
      [new BanzaiError('unauthorized', 'no token'), 401],
      [new BanzaiError('unavailable', 'the event log cannot be written'), 503],
      [new BanzaiError('payload_too_large', 'too big'), 413],
    ]
    for (const [error, status] of cases) {
      const problem = toProblem(error)
      expect(problem.body).toMatchObject({
        status,
        type: `urn:banzai:problem:${error.code}`,
        detail: error.message,
        errors: error.errors,
      })
      expect(problem.isBug).toBe(status >= 500)
    }
    expect(toProblem(new BanzaiError('unauthorized', 'x')).headers).toEqual({ 'WWW-Authenticate': 'Bearer' })
  })

  test('HTTP problems keep their status and headers; anything else is a logged 500 that says nothing inside', () => {
    expect(toProblem(new HttpProblem(405, 'method_not_allowed', 'no', [], { Allow: 'GET' }))).toMatchObject({
      body: { status: 405 },
      headers: { Allow: 'GET' },
      isBug: false,
    })
    expect(toProblem(new HTTPException(415, { message: 'Unsupported Media Type' })).body).toMatchObject({
      status: 415,
      detail: 'Unsupported Media Type',
    })
    const bug = toProblem(new TypeError('secret internals'))
    expect(bug.isBug).toBe(true)
    expect(bug.body.status).toBe(500)
    expect(bug.body.detail).not.toContain('secret')
  })

  test('a document with thousands of problems lists the first ones and counts the rest', () => {
    const errors = Array.from({ length: 5000 }, (_, i) => ({
      path: `tasks[${i}]`,
      message: `tasks[${i}] is wrong`,
    }))
    const body = toProblem(new ValidationError('x'.repeat(100_000), errors)).body
    expect(body.errors).toHaveLength(MAX_FIELD_ERRORS + 1)
    expect(body.errors.at(-1)!.message).toBe(`and ${5000 - MAX_FIELD_ERRORS} more problems`)
    expect(body.detail.length).toBeLessThanOrEqual(2000)
  })
})

describe('isSameToken', () => {
  test('equal tokens match; different ones, of any length, do not', () => {
    expect(isSameToken('s3cret', 's3cret')).toBe(true)
    expect(isSameToken('s3cret', 's3cres')).toBe(false)
    expect(isSameToken('s3cre', 's3cret')).toBe(false)
    expect(isSameToken('', 's3cret')).toBe(false)
  })
})
