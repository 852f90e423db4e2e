import { BanzaiError, type ProblemDetails } from '../core/domain/index.ts'

/** Exit codes of SPEC §9. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const

/** A problem+json answer of the API, as an error; `problem` is partial, as any server in between may answer otherwise. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<ProblemDetails>,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`)
  }
}

/** A small client of the monitor's REST API for the command line. */
export class ApiClient {
  private readonly base: string

  constructor(
    monitorUrl: string,
    private readonly token = '',
  ) {
    this.base = monitorUrl.replace(/\/+$/, '')
  }

  /** Calls a route; throws BanzaiError('unavailable') when the monitor cannot be reached, ApiError for an error answer. */
  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    let response: Response
    try {
      response = await fetch(`${this.base}/api${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      })
    } catch (error) {
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)
      throw new BanzaiError('unavailable', `the monitor at ${this.base} is unreachable (${cause})`)
    }
    const text = await response.text()
    const parsed: unknown = text ? JSON.parse(text) : null
    if (!response.ok) throw new ApiError(response.status, parsed ?? {})
    return parsed as T
  }
}
