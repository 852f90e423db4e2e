import type { FieldError, ProblemDetails } from '../../../core/domain/index.ts'

/** One field error of a problem+json body: where (`tasks[2].args[0]`) and which rule broke. */
export type FieldProblem = FieldError

/** A failed API call: its HTTP status and the parsed problem. */
export class ApiError extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail || problem.title)
    this.name = 'ApiError'
  }

  /** HTTP status code (0 when the request never reached the server). */
  get status(): number {
    return this.problem.status
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((entry: unknown) =>
    isRecord(entry) && typeof entry.path === 'string' && typeof entry.message === 'string'
      ? [{ path: entry.path, message: entry.message }]
      : [],
  )
}

/** Builds a problem from a response body of any shape (problem+json, JSON, text or nothing). */
export function parseProblem(status: number, statusText: string, body: string): ProblemDetails {
  let parsed: unknown = undefined
  try {
    parsed = body ? JSON.parse(body) : undefined
  } catch {
    parsed = undefined
  }
  const fallbackTitle = statusText || `HTTP ${status}`
  if (!isRecord(parsed))
    return { type: 'about:blank', title: fallbackTitle, status, detail: body.slice(0, 500), errors: [] }
  return {
    type: typeof parsed.type === 'string' ? parsed.type : 'about:blank',
    title: typeof parsed.title === 'string' ? parsed.title : fallbackTitle,
    status: typeof parsed.status === 'number' ? parsed.status : status,
    detail:
      typeof parsed.detail === 'string'
        ? parsed.detail
        : typeof parsed.message === 'string'
          ? parsed.message
          : '',
    errors: readFieldErrors(parsed.errors),
  }
}

/** Reads the message to show for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError)
    return error.problem.detail ? `${error.problem.title}: ${error.problem.detail}` : error.problem.title
  if (error instanceof Error) return error.message
  return String(error)
}
