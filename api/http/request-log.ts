import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import { BanzaiError } from '../../core/domain/index.ts'
import type { AppEnv } from '../deps.ts'
import { isBodyRead } from './json-body.ts'

const CLIENT_ID = /^[\w.-]{1,128}$/

/** One header as node parsed it (the first, for the few that node keeps as a list). */
export function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** The id of a request: the client's `X-Request-Id` when it is a plain token, else a new UUID. */
export function requestIdOf(offered: string | undefined): string {
  return offered && CLIENT_ID.test(offered) ? offered : randomUUID()
}

/** Writes the one line (at `debug`) of an answered request; `started` is its `performance.now()`. */
export function logAnswered(
  logger: Logger,
  line: { reqId: string; method: string; path: string; status: number; started: number },
): void {
  // Request lines are for debugging: at info a running monitor prints only what changes.
  const { started, ...fields } = line
  logger.debug({ ...fields, ms: Math.round((performance.now() - started) * 10) / 10 }, 'request')
}

function hasBody(header: (name: string) => string | undefined): boolean {
  const length = header('content-length')
  return (length !== undefined && length !== '0') || header('transfer-encoding') !== undefined
}

/**
 * Gives each request an id (the client's `X-Request-Id` when it is a plain token, else a
 * UUID), echoes it, and writes one structured log line (at `debug`) per request when it is answered.
 */
export function logRequests(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // node's own parsed headers: `c.req.header()` would build a web Headers object for every request.
    const incoming = c.env?.incoming
    const header = (name: string): string | undefined =>
      incoming ? headerOf(incoming.headers[name]) : c.req.header(name)
    const offered = header('x-request-id')
    const requestId = requestIdOf(offered)
    c.set('requestId', requestId)
    c.set('logger', logger.child({ reqId: requestId }))
    const started = performance.now()
    try {
      await next()
    } catch (thrown) {
      // Hono hands only Error instances to the error handler; make anything else one.
      throw thrown instanceof Error
        ? thrown
        : new BanzaiError('bug', `a non-Error value was thrown: ${String(thrown)}`)
    }
    c.res.headers.set('X-Request-Id', requestId)
    // A body left unread makes the server drop the connection after answering: tell the client not to reuse it.
    if (hasBody(header) && !isBodyRead(c.req) && !c.req.raw.bodyUsed) c.res.headers.set('Connection', 'close')
    logAnswered(logger, {
      reqId: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      started,
    })
  }
}
