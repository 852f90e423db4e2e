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

/**
 * Bearer-token guard of SPEC §7. With `token`, every write (any method but GET, HEAD,
 * OPTIONS) needs it; with `readToken`, reads need either token. Without `token`, a set
 * `readToken` guards writes too (whoever may not read may not write). Only `/api/events`
 * also takes `?access_token=`.
 */
export function requireToken(auth: ApiAuth): MiddlewareHandler<AppEnv> {
  const token = auth.token || undefined
  const readToken = auth.readToken || undefined
  return async (c, next) => {
    const path = c.req.path
    if (!path.startsWith('/api/') || OPEN_PATHS.has(path)) return next()
    const isRead = READ_METHODS.has(c.req.method)
    const accepted = isRead ? [token, readToken] : [token ?? readToken]
    const required = accepted.filter((t): t is string => t !== undefined)
    if (isRead && readToken === undefined) return next()
    if (required.length === 0) return next()
    let presented = bearerOf(c.req.header('Authorization'))
    if (presented === null && path === QUERY_TOKEN_PATH) presented = c.req.query('access_token') ?? null
    if (presented === null)
      throw unauthorized(
        `this route needs "Authorization: Bearer <token>"${path === QUERY_TOKEN_PATH ? ' or ?access_token=' : ''}`,
      )
    // Check every accepted token so the time taken does not say which one matched.
    const matches = required.map((t) => isSameToken(presented, t))
    if (!matches.includes(true)) throw unauthorized('the bearer token is not valid for this route')
    return next()
  }
}
