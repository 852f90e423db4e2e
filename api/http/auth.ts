import { timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { ApiAuth, AppEnv } from '../deps.ts'
import { HttpProblem } from './problem.ts'

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** Routes that answer without a token: liveness, and the description of the API itself. */
const OPEN_PATHS = new Set(['/api/healthz', '/api/openapi.json', '/api/docs'])
/** The one route that also takes `?access_token=` (EventSource cannot send headers). */
const QUERY_TOKEN_PATH = '/api/events'

/** Compares a presented token with an expected one in constant time (for equal lengths). */
export function isSameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  // Compare against itself when lengths differ so the time taken does not depend on where they differ.
  if (a.length !== b.length) {
    timingSafeEqual(b, b)
    return false
  }
  return timingSafeEqual(a, b)
}

function bearerOf(header: string | undefined): string | null {
  if (!header) return null
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header)
  return match?.[1] ?? null
}

function unauthorized(message: string): HttpProblem {
  return new HttpProblem(401, 'unauthorized', message, [], { 'WWW-Authenticate': 'Bearer realm="banzai"' })
}

/** What the guard looks at in a request: the headers and query are read only when needed. */
export interface AuthRequest {
  method: string
  path: string
  authorization(): string | undefined
  /** `?access_token=`, read only on `/api/events`. */
  queryToken(): string | undefined
}

/**
 * The bearer-token rule of SPEC §7 for one request: null when it may pass, else the 401 to
 * answer. With `token`, every write (any method but GET, HEAD, OPTIONS) needs it; with
 * `readToken`, reads need either token. Without `token`, a set `readToken` guards writes too
 * (whoever may not read may not write). Only `/api/events` also takes `?access_token=`.
 */
export function checkToken(auth: ApiAuth, request: AuthRequest): HttpProblem | null {
  const token = auth.token || undefined
  const readToken = auth.readToken || undefined
  const { path } = request
  if (!path.startsWith('/api/') || OPEN_PATHS.has(path)) return null
  const isRead = READ_METHODS.has(request.method)
  const accepted = isRead ? [token, readToken] : [token ?? readToken]
  const required = accepted.filter((t): t is string => t !== undefined)
  if (isRead && readToken === undefined) return null
  if (required.length === 0) return null
  let presented = bearerOf(request.authorization())
  if (presented === null && path === QUERY_TOKEN_PATH) presented = request.queryToken() ?? null
  if (presented === null)
    return unauthorized(
      `this route needs "Authorization: Bearer <token>"${path === QUERY_TOKEN_PATH ? ' or ?access_token=' : ''}`,
    )
  // Check every accepted token so the time taken does not say which one matched.
  const matches = required.map((t) => isSameToken(presented, t))
  return matches.includes(true) ? null : unauthorized('the bearer token is not valid for this route')
}

/** Bearer-token guard of SPEC §7 as middleware (`checkToken`): throws the 401. */
export function requireToken(auth: ApiAuth): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const refused = checkToken(auth, {
      method: c.req.method,
      path: c.req.path,
      authorization: () => c.req.header('Authorization'),
      queryToken: () => c.req.query('access_token'),
    })
    if (refused) throw refused
    return next()
  }
}
