import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import { NotFoundError } from '../../core/domain/index.ts'
import type { ApiDeps, AppEnv } from '../deps.ts'
import { bearer, json, problems } from '../schemas/common.ts'
import {
  AfterQuery,
  CacheInfo,
  EventPage,
  LogPage,
  PipelineDetail,
  PipelineParams,
  StateQuery,
  TaskParams,
} from '../schemas/pipeline.ts'

const eventsRoute = createRoute({
  method: 'get',
  path: '/api/pipelines/{id}/events',
  tags: ['history'],
  summary: "A page of a pipeline's events; `after` and `next` are pipelineSeqs",
  security: bearer,
  request: { params: PipelineParams, query: AfterQuery },
  responses: { 200: json(EventPage, 'A page of events'), ...problems(400, 404) },
})

const stateRoute = createRoute({
  method: 'get',
  path: '/api/pipelines/{id}/state',
  tags: ['history'],
  summary:
    'The pipeline as it was right after its N-th event (replay); an N past the last event gives the current state',
  security: bearer,
  request: { params: PipelineParams, query: StateQuery },
  responses: { 200: json(PipelineDetail, 'The replayed detail'), ...problems(400, 404) },
})

const logsRoute = createRoute({
  method: 'get',
  path: '/api/pipelines/{id}/tasks/{step}/logs',
  tags: ['history'],
  summary: "A page of a step's log lines (from its workers)",
  security: bearer,
  request: { params: TaskParams, query: AfterQuery },
  responses: { 200: json(LogPage, 'A page of log lines'), ...problems(400, 404) },
})

const cacheRoute = createRoute({
  method: 'get',
  path: '/api/pipelines/{id}/tasks/{step}/cache',
  tags: ['history'],
  summary: "A step's memo key parts, and for a miss which part differed from the nearest earlier run",
  security: bearer,
  request: { params: TaskParams },
  responses: { 200: json(CacheInfo, 'The memo view of the step'), ...problems(400, 404) },
})

/** Throws 404 unless the pipeline has that step. */
function requireStep(deps: ApiDeps, id: string, step: number): void {
  const detail = deps.queries.detail(id)
  if (step >= detail.tasks.length)
    throw new NotFoundError(`pipeline ${id} has no step ${step} (it has ${detail.tasks.length})`)
}

/** The history routes: events, replayed state, task logs and the memo view. */
export function registerHistoryRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.openapi(eventsRoute, (c) => {
    const { after, limit } = c.req.valid('query')
    return c.json(deps.queries.events(c.req.valid('param').id, after, limit), 200)
  })

  app.openapi(stateRoute, (c) =>
    c.json(deps.queries.stateAt(c.req.valid('param').id, c.req.valid('query').at), 200),
  )

  app.openapi(logsRoute, (c) => {
    const { id, step } = c.req.valid('param')
    const { after, limit } = c.req.valid('query')
    requireStep(deps, id, step)
    return c.json(deps.queries.logs(id, step, after, limit), 200)
  })

  app.openapi(cacheRoute, (c) => {
    const { id, step } = c.req.valid('param')
    return c.json(deps.queries.cache(id, step), 200)
  })
}
