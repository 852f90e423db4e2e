import { expect } from 'vitest'
import type { ProblemDetails } from '../../core/domain/index.ts'

/** Asserts a problem+json answer with this status, and returns its body. */
export function expectProblem(
  response: { status: number; headers: Headers; body: unknown },
  status: number,
): ProblemDetails {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const body = response.body as ProblemDetails
  expect(body.status).toBe(status)
  expect(body.type).toMatch(/^urn:banzai:problem:/)
  expect(typeof body.title).toBe('string')
  expect(typeof body.detail).toBe('string')
  expect(Array.isArray(body.errors)).toBe(true)
  return body
}
