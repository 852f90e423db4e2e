import { expect } from 'vitest'

/** An error answer as the tests see it. */
export type Problem = {
  type: string
  title: string
  status: number
  detail: string
  errors: { path: string; message: string }[]
}

/** Asserts a problem+json answer with this status, and returns its body. */
export function expectProblem(
  response: { status: number; headers: Headers; body: unknown },
  status: number,
): Problem {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const body = response.body as Problem
  expect(body.status).toBe(status)
  expect(body.type).toMatch(/^urn:banzai:problem:/)
  expect(typeof body.title).toBe('string')
  expect(typeof body.detail).toBe('string')
  expect(Array.isArray(body.errors)).toBe(true)
  return body
}
