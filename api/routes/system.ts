import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { BanzaiError, describeDeclaration } from '../../core/domain/index.ts'
import type { ApiDeps, AppEnv } from '../deps.ts'
import type { ApiMetrics } from '../http/metrics.ts'
import { bearer, json, problems } from '../schemas/common.ts'
import { Health, TaskList, TransportInfo, WorkerList } from '../schemas/system.ts'

const workersRoute = createRoute({
  method: 'get',
  path: '/api/workers',
  tags: ['system'],
  summary: 'Live workers (from their heartbeats)',
  security: bearer,
  responses: { 200: json(WorkerList, 'The workers'), ...problems() },
})

const tasksRoute = createRoute({
  method: 'get',
  path: '/api/tasks',
  tags: ['system'],
  summary: 'The task catalogue, with argument schemas as JSON Schema',
  security: bearer,
  responses: { 200: json(TaskList, 'The declarations'), ...problems() },
})

const transportRoute = createRoute({
  method: 'get',
  path: '/api/transport',
  tags: ['system'],
  summary: "The monitor's ZeroMQ endpoints, for workers to connect",
  security: bearer,
  responses: { 200: json(TransportInfo, 'The endpoints'), ...problems(503) },
})

const healthRoute = createRoute({
  method: 'get',
  path: '/api/healthz',
  tags: ['system'],
  summary: 'Liveness: the event log is readable and its last write went through (never needs a token)',
  responses: { 200: json(Health, 'Alive'), ...problems(503) },
})

const metricsRoute = createRoute({
  method: 'get',
  path: '/api/metrics',
  tags: ['system'],
  summary: 'Prometheus metrics',
  security: bearer,
  responses: {
    200: {
      description: 'Prometheus text exposition format',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...problems(),
  },
})

/** Workers, tasks, transport, health and metrics. */
export function registerSystemRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps, metrics: ApiMetrics): void {
  app.openapi(workersRoute, (c) => c.json({ workers: deps.monitor.workers() }, 200))

  app.openapi(tasksRoute, (c) => {
    const tasks = TaskList.shape.tasks.parse([...deps.catalogue.values()].map(describeDeclaration))
    return c.json({ tasks }, 200)
  })

  app.openapi(transportRoute, (c) => {
    const info = deps.transportInfo()
    if (info === null || info === undefined)
      throw new BanzaiError('unavailable', 'the transport is not bound yet; try again shortly')
    return c.json(TransportInfo.parse(info), 200)
  })

  app.openapi(healthRoute, (c) => {
    let lastSeq: number
    try {
      lastSeq = deps.monitor.readLastSeq()
    } catch (error) {
      throw new BanzaiError(
        'unavailable',
        `the event log cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    const writeFailure = deps.writeFailure?.() ?? null
    if (writeFailure !== null)
      throw new BanzaiError('unavailable', `the event log cannot be written: ${writeFailure}`)
    return c.json({ status: 'ok' as const, lastSeq }, 200)
  })

  app.openapi(metricsRoute, async (c) => {
    const text = await metrics.registry.metrics()
    return c.text(text, 200, { 'Content-Type': metrics.registry.contentType })
  })
}
