import { OpenAPIHono } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { pino } from 'pino'
import type { ApiDeps, AppEnv } from './deps.ts'
import { requireToken } from './http/auth.ts'
import { createFallback } from './http/fallback.ts'
import { createMetrics } from './http/metrics.ts'
import { isJsonRequest, preloadBody, readIncomingBody, tooLarge } from './http/json-body.ts'
import { invalidParameters, problemResponse, toProblem } from './http/problem.ts'
import { logRequests } from './http/request-log.ts'
import { registerBlobRoute } from './routes/blobs.ts'
import { registerDatasetRoutes } from './routes/datasets.ts'
import { registerDocsRoutes } from './routes/docs.ts'
import {
  createEventStreams,
  registerEventStreamRoute,
  useEventStreamFastPath,
} from './routes/event-stream.ts'
import { registerHistoryRoutes } from './routes/pipeline-history.ts'
import { registerMaintenanceRoutes } from './routes/maintenance.ts'
import { registerPipelineRoutes } from './routes/pipelines.ts'
import { registerSystemRoutes } from './routes/system.ts'
import { registerUiRoutes } from './routes/ui.ts'

const BODYLESS = new Set(['GET', 'HEAD'])

/** Default largest request body, bytes (1 MiB). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024

/**
 * The Hono app of SPEC §7: every route under `/api`, problem+json errors from one handler,
 * bearer-token auth, request ids and logs, OpenAPI at `/api/openapi.json`, and the
 * dashboard at `/`.
 */
export function createApi(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const logger = deps.logger ?? pino({ level: 'silent' })
  const limit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT
  const metrics = createMetrics(deps.monitor)
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidParameters(result.target, result.error)
    },
  })

  const streams = createEventStreams(deps)
  // First: a flood of SSE clients must not pay for the middleware chain (routes/event-stream.ts).
  useEventStreamFastPath(app, streams, {
    auth: deps.auth ?? {},
    logger,
    countRequest: (method, status) => metrics.countRequest(method, status),
  })
  app.use('*', logRequests(logger))
  app.use('*', async (c, next) => {
    await next()
    metrics.countRequest(c.req.method, c.res.status)
  })
  app.use('*', requireToken(deps.auth ?? {}))
  const limitBody: MiddlewareHandler<AppEnv> = bodyLimit({
    maxSize: limit,
    onError: () => {
      throw tooLarge(limit)
    },
  })
  // GET and HEAD carry no body, and asking whether they do makes node-server build a whole web
  // Request (with its AbortSignal): a cost paid by every SSE client of a flood, for nothing. A
  // JSON body is read from node's own request (json-body.ts); other bodies (blobs) stream on.
  const limitBodies: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (BODYLESS.has(c.req.method)) return next()
    const incoming = c.env?.incoming
    if (!incoming || !isJsonRequest(incoming)) return limitBody(c, next)
    preloadBody(c.req, await readIncomingBody(incoming, limit))
    return next()
  }
  app.use('/api/*', limitBodies)

  registerPipelineRoutes(app, deps)
  registerHistoryRoutes(app, deps)
  registerMaintenanceRoutes(app, deps)
  registerEventStreamRoute(app, streams)
  registerSystemRoutes(app, deps, metrics)
  registerBlobRoute(app, deps)
  registerDatasetRoutes(app, deps)
  registerDocsRoutes(app)
  const fallback = createFallback(() => app.routes)
  registerUiRoutes(app, deps.uiDir, fallback)

  app.notFound(fallback)
  app.onError((error, c) => {
    const problem = toProblem(error)
    if (problem.isBug)
      c.get('logger').error({ err: error, method: c.req.method, path: c.req.path }, 'unexpected error')
    return problemResponse(c, problem)
  })
  return app
}
