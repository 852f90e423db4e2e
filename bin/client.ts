import type { z } from 'zod'
import { BanzaiError, ProblemDetails } from '../core/domain/index.ts'
import { type HttpAnswer, sendHttp } from './http-request.ts'

/** Exit codes of SPEC §9. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3, notFound: 4 } as const

/** A problem+json answer of the monitor, as an error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`)
  }
}

/** A small client of the monitor's REST API for the command line; every answer is parsed by its domain schema. */
export class ApiClient {
  readonly base: string

  constructor(
    monitorUrl: string,
    private readonly token = '',
  ) {
    this.base = monitorUrl.replace(/\/+$/, '')
  }

  /**
   * Calls a route and parses the answer with `schema`. Throws BanzaiError('unavailable') when the
   * monitor cannot be reached or does not answer as a Banzai monitor, ApiError for a problem answer.
   */
  async call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<z.infer<S>> {
    const response = await this.send(method, path, body, headers)
    const parsed = schema.safeParse(this.json(response, path))
    if (!parsed.success) throw this.notBanzai(`${path} answered an unexpected shape`)
    return parsed.data
  }

  /** Sends a request and returns the successful answer as is (its bytes); errors as in `call`. */
  async send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    timeoutMs = 30_000,
  ): Promise<HttpAnswer> {
    let response: HttpAnswer
    try {
      response = await sendHttp(`${this.base}/api${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        timeoutMs,
      })
    } catch (error) {
      // A name with two addresses (localhost) fails as an AggregateError with no message of its own.
      const first = error instanceof AggregateError ? (error.errors[0] as unknown) : error
      const cause = first instanceof Error ? first.message : String(first)
      throw new BanzaiError('unavailable', `the monitor at ${this.base} is unreachable (${cause})`)
    }
    if (response.ok) return response
    const problem = ProblemDetails.safeParse(this.json(response, path))
    if (!problem.success)
      throw this.notBanzai(`${path} answered HTTP ${response.status} without a problem body`)
    throw new ApiError(response.status, problem.data)
  }

  private json(response: HttpAnswer, path: string): unknown {
    const text = response.text()
    try {
      return text ? JSON.parse(text) : null
    } catch {
      throw this.notBanzai(`${path} answered something that is not JSON`)
    }
  }

  private notBanzai(why: string): BanzaiError {
    return new BanzaiError('unavailable', `${this.base} is not a Banzai monitor (${why})`)
  }
}
