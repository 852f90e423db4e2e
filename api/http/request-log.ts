import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import { BanzaiError } from '../../core/domain/index.ts'
import type { AppEnv } from '../deps.ts'

const CLIENT_ID = /^[\w.-]{1,128}$/

function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length')
  return (length !== null && length !== '0') || request.headers.has('transfer-encoding')
}

/**
 * Gives each request an id (the client's `X-Request-Id` when it is a plain token, else a
 * UUID), echoes it, and writes one structured log line (at `debug`) per request when it is answered.
 */
export function logRequests(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const offered = c.req.header('X-Request-Id')
    const requestId = offered && CLIENT_ID.test(offered) ? offered : randomUUID()
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
    if (hasBody(c.req.raw) && !c.req.raw.bodyUsed) c.res.headers.set('Connection', 'close')
    // Request lines are for debugging: at info a running monitor prints only what changes.
    logger.debug(
      {
        reqId: requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    )
  }
}
