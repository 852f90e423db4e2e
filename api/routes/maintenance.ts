import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { CacheCleared, DeletedAnswer, GcResult } from '../../core/domain/index.ts'
import type { ApiDeps, AppEnv } from '../deps.ts'
import { bearer, json, problems } from '../schemas/common.ts'
import { PipelineParams } from '../schemas/pipeline.ts'

const Deleted = DeletedAnswer
const GcBody = z.object({ maxBytes: z.number().int().min(0).optional() }).strict()
const CacheClearBody = z.object({ task: z.string().min(1).max(64).optional() }).strict()
const Cleared = CacheCleared

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/pipelines/{id}',
  tags: ['pipelines'],
  summary: 'Delete a finished pipeline: it leaves the lists, its memo rows go, it is no longer a GC root',
  security: bearer,
  request: { params: PipelineParams },
  responses: { 200: json(Deleted, 'Recorded as PipelineDeleted'), ...problems(400, 404, 409, 503) },
})

const gcRoute = createRoute({
  method: 'post',
  path: '/api/gc',
  tags: ['system'],
  summary: 'Garbage collection while the monitor runs: removes blobs no live or finished pipeline references',
  security: bearer,
  request: { body: { content: { 'application/json': { schema: GcBody } }, required: false } },
  responses: { 200: json(GcResult, 'What was removed and kept'), ...problems(400, 503) },
})

const cacheClearRoute = createRoute({
  method: 'post',
  path: '/api/cache/clear',
  tags: ['system'],
  summary: 'Forget memoized results (all, or of one task); blobs stay until gc',
  security: bearer,
  request: { body: { content: { 'application/json': { schema: CacheClearBody } }, required: false } },
  responses: { 200: json(Cleared, 'Memo rows forgotten'), ...problems(400, 503) },
})

/** `DELETE /pipelines/:id`, `POST /gc`, `POST /cache/clear`: freeing space through the running monitor. */
export function registerMaintenanceRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param')
    await deps.monitor.deletePipeline(id, 'deleted by request')
    return c.json({ id, deleted: true as const }, 200)
  })
  app.openapi(gcRoute, async (c) => {
    const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {}
    const report = await deps.monitor.collectGarbage(
      body.maxBytes !== undefined ? { maxBytes: body.maxBytes } : {},
    )
    return c.json(report, 200)
  })
  app.openapi(cacheClearRoute, async (c) => {
    const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {}
    return c.json(await deps.monitor.clearCache(body.task), 200)
  })
}
