import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ZodError } from 'zod'
import type { AppEnv } from '../deps.ts'
import { BanzaiError, type ErrorCode, type FieldError, type ProblemDetails } from '../../core/domain/index.ts'

/** Error answers of the API that are not domain errors (unknown route, wrong method, bad parameter…). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'HttpProblem'
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/** The one mapping of domain error codes to HTTP statuses. */
export const STATUS_OF_CODE: Record<ErrorCode, number> = {
  invalid_input: 422,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  unavailable: 503,
  payload_too_large: 413,
  corrupt: 500,
  bug: 500,
}

/** Field errors listed in one answer at most; a document with more problems says so in the last one. */
export const MAX_FIELD_ERRORS = 100
const MAX_DETAIL = 2_000

function capErrors(errors: FieldError[]): FieldError[] {
  if (errors.length <= MAX_FIELD_ERRORS) return errors
  const more = errors.length - MAX_FIELD_ERRORS
  return [
    ...errors.slice(0, MAX_FIELD_ERRORS),
    { path: '', message: `and ${more} more problem${more === 1 ? '' : 's'}` },
  ]
}

function capDetail(detail: string): string {
  return detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL - 3)}...` : detail
}

/** A problem answer: what `toProblem` decided, and whether it is a bug to log. */
export interface Problem {
  body: ProblemDetails
  headers: Record<string, string>
  isBug: boolean
}

/** Builds a problem body for a status. */
export function problemBody(
  status: number,
  slug: string,
  detail: string,
  errors: FieldError[] = [],
): ProblemDetails {
  return {
    type: `urn:banzai:problem:${slug}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: capDetail(detail),
    errors: capErrors(errors),
  }
}

/** Turns anything thrown while answering into a problem; unknown errors are bugs (500). */
export function toProblem(error: unknown): Problem {
  if (error instanceof HttpProblem)
    return {
      body: problemBody(error.status, error.slug, error.message, error.errors),
      headers: error.headers,
      isBug: false,
    }
  if (error instanceof BanzaiError) {
    const status = STATUS_OF_CODE[error.code]
    const headers: Record<string, string> =
      error.code === 'unauthorized' ? { 'WWW-Authenticate': 'Bearer' } : {}
    return {
      body: problemBody(status, error.code, error.message, error.errors),
      headers,
      isBug: status >= 500,
    }
  }
  if (error instanceof HTTPException) {
    const status = error.status
    return {
      body: problemBody(status, `http_${status}`, error.message || (TITLES[status] ?? 'Error')),
      headers: {},
      isBug: status >= 500,
    }
  }
  return {
    body: problemBody(500, 'bug', 'an unexpected error occurred; it was logged with the request id'),
    headers: {},
    isBug: true,
  }
}

/** Writes a problem as `application/problem+json`. */
export function problemResponse(c: Context<AppEnv>, problem: Problem): Response {
  const headers = new Headers(problem.headers)
  headers.set('Content-Type', 'application/problem+json')
  const requestId = c.get('requestId')
  if (requestId) headers.set('X-Request-Id', requestId)
  return new Response(JSON.stringify(problem.body), { status: problem.body.status, headers })
}

/** A 400 problem listing a zod error's issues under `where` (query, param, header). */
export function invalidParameters(where: string, error: ZodError): HttpProblem {
  const errors = error.issues.map((issue) => {
    const path = [where, ...issue.path.map(String)].join('.')
    return { path, message: `${path} ${issue.message}` }
  })
  return new HttpProblem(400, 'invalid_parameter', errors.map((e) => e.message).join('; '), errors)
}
