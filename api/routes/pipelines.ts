import { isDeepStrictEqual } from 'node:util'
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import {
  BanzaiError,
  isEnded,
  type Catalogue,
  type PipelineSpec,
  parsePipelineDocument,
  ValidationError,
} from '../../core/domain/index.ts'
import type { Submission } from '../../core/monitor/monitor-port.ts'
import type { ApiDeps, AppEnv } from '../deps.ts'
import { isJsonMediaType } from '../http/json-body.ts'
import { jsonDepth, MAX_JSON_DEPTH } from '../http/json-depth.ts'
import { unservedLanes, withLaneWaiting } from './lane-waiting.ts'
import { HttpProblem, invalidParameters } from '../http/problem.ts'
import { bearer, json, problems } from '../schemas/common.ts'
import {
  IdempotencyHeaders,
  ListQuery,
  PipelineDetail,
  PIPELINE_DOCUMENT_REF,
  PipelineDocument,
  PipelineParams,
  SummaryPage,
} from '../schemas/pipeline.ts'

/** Checks a parsed body against the catalogue; a document too deep for the checks is rejected first. */
function validateDocument(doc: unknown, catalogue: Catalogue): PipelineSpec {
  if (jsonDepth(doc) > MAX_JSON_DEPTH) {
    throw new ValidationError(`the document nests deeper than ${MAX_JSON_DEPTH} levels`, [
      { path: '', message: `the document must nest at most ${MAX_JSON_DEPTH} levels deep` },
    ])
  }
  return parsePipelineDocument(doc, catalogue)
}

/** What the submit route's body check hands on: the document, parsed once. */
interface ParsedDocument {
  Variables: { spec: PipelineSpec }
}

/** Parses the JSON body against the catalogue, once, so errors name the task index, field and rule; the handler reads `spec`. */
function parseDocumentBody(catalogue: Catalogue): MiddlewareHandler<ParsedDocument> {
  return async (c, next) => {
    if (!isJsonMediaType(c.req.header('Content-Type')))
      throw new HTTPException(415, { message: 'Unsupported Media Type' })
    let doc: unknown
    try {
      doc = await c.req.json<unknown>()
    } catch (error) {
      throw new HttpProblem(
        400,
        'bad_json',
        `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    c.set('spec', validateDocument(doc, catalogue))
    await next()
  }
}

const submitRoute = (catalogue: Catalogue) =>
  createRoute({
    method: 'post',
    path: '/api/pipelines',
    tags: ['pipelines'],
    summary: 'Submit a pipeline document',
    security: bearer,
    middleware: [parseDocumentBody(catalogue)] as const,
    request: {
      headers: IdempotencyHeaders,
      // A reference, not a zod schema: the OpenAPI document describes the body, parseDocumentBody parses it.
      body: { required: true, content: { 'application/json': { schema: { $ref: PIPELINE_DOCUMENT_REF } } } },
    },
    responses: {
      201: {
        ...json(PipelineDetail, 'Recorded; `Location` names it'),
        headers: { Location: { schema: { type: 'string' } } },
      },
      200: json(PipelineDetail, 'Already submitted with this Idempotency-Key: the same pipeline'),
      ...problems(400, 413, 415, 422, 503),
    },
  })

const listRoute = createRoute({
  method: 'get',
  path: '/api/pipelines',
  tags: ['pipelines'],
  summary: 'List pipelines, newest first',
  security: bearer,
  request: { query: ListQuery },
  responses: {
    200: json(SummaryPage, 'A page of list rows; `next` is the `after` of the next page'),
    ...problems(400),
  },
})

const detailRoute = createRoute({
  method: 'get',
  path: '/api/pipelines/{id}',
  tags: ['pipelines'],
  summary: 'A pipeline and its tasks',
  security: bearer,
  request: { params: PipelineParams },
  responses: { 200: json(PipelineDetail, 'The pipeline'), ...problems(400, 404) },
})

const cancelRoute = createRoute({
  method: 'post',
  path: '/api/pipelines/{id}/cancel',
  tags: ['pipelines'],
  summary: 'Cancel a live pipeline',
  security: bearer,
  request: { params: PipelineParams },
  responses: { 202: json(PipelineDetail, 'Cancelled'), ...problems(400, 404, 409, 503) },
})

const retryRoute = createRoute({
  method: 'post',
  path: '/api/pipelines/{id}/retry',
  tags: ['pipelines'],
  summary: 'Run an ended pipeline again (its succeeded steps become cache hits)',
  security: bearer,
  request: { params: PipelineParams, headers: IdempotencyHeaders },
  responses: {
    201: {
      ...json(PipelineDetail, 'The new pipeline, with `retryOf`'),
      headers: { Location: { schema: { type: 'string' } } },
    },
    200: json(PipelineDetail, 'Already retried with this Idempotency-Key'),
    ...problems(400, 404, 409, 422, 503),
  },
})

/** Answers a submission: 201 and `Location` for a new pipeline, 200 for an idempotent repeat. */
function submitted<E extends AppEnv>(
  c: Context<E>,
  deps: ApiDeps,
  result: Submission,
  request: { spec: unknown; retryOf: string | null },
) {
  if (!result.created) assertSameSubmission(deps, result.id, request)
  const workers = deps.monitor.workers()
  const detail = withLaneWaiting(result.detail ?? deps.queries.detail(result.id), workers)
  c.header('Location', `/api/pipelines/${encodeURIComponent(result.id)}`)
  // The submission is accepted and waits, spending nothing; the response says what it waits for.
  const unserved = unservedLanes(detail, workers)
  if (unserved.length > 0)
    c.header(
      'Warning',
      unserved.map((lane) => `299 banzai "no live worker serves lane ${lane}: its tasks wait"`).join(', '),
    )
  return result.created ? c.json(detail, 201) : c.json(detail, 200)
}

/**
 * An Idempotency-Key names one request: reused with a different body (or for another retry) it is
 * a client bug, answered 422 rather than silently returning the first pipeline (Stripe's rule).
 */
function assertSameSubmission(
  deps: ApiDeps,
  id: string,
  request: { spec: unknown; retryOf: string | null },
): void {
  const first = deps.queries.events(id, 0, 1).events[0]
  if (first?.type !== 'PipelineSubmitted')
    throw new BanzaiError('bug', `pipeline ${id} does not start with PipelineSubmitted`)
  const { retryOf, ...recorded } = first.data
  if (isDeepStrictEqual(asJson(recorded), asJson(request.spec)) && (retryOf ?? null) === request.retryOf)
    return
  throw new ValidationError(
    `Idempotency-Key was already used for pipeline ${id} with a different ${(retryOf ?? null) === request.retryOf ? 'body' : 'retried pipeline'}; use a new key for a new request`,
    [{ path: 'Idempotency-Key', message: `already used for pipeline ${id} with a different request` }],
  )
}

/** The value as it travels in JSON (undefined fields dropped), for comparing a spec with a recorded one. */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value))
}

/** Rebuilds the document an ended pipeline was submitted with, from its first event. */
function recordedDocument(deps: ApiDeps, id: string): unknown {
  const first = deps.queries.events(id, 0, 1).events[0]
  if (first?.type !== 'PipelineSubmitted')
    throw new BanzaiError('bug', `pipeline ${id} does not start with PipelineSubmitted`)
  const { name, tasks, labels, cache } = first.data
  return {
    name,
    tasks: tasks.map(({ call, args, lane, timeoutMs }) => ({ call, args, lane, timeoutMs })),
    labels,
    cache,
  }
}

/** `POST /pipelines`, `GET /pipelines`, `GET /pipelines/:id`, cancel and retry. */
export function registerPipelineRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.openAPIRegistry.register('PipelineDocument', PipelineDocument)
  app.openapi(
    submitRoute(deps.catalogue),
    async (c) => {
      const spec = c.get('spec')
      const result = await deps.monitor.submit(spec, {
        idempotencyKey: c.req.valid('header')['Idempotency-Key'] ?? null,
      })
      return submitted(c, deps, result, { spec, retryOf: null })
    },
    (result): undefined => {
      if (!result.success) throw invalidParameters(result.target, result.error)
      return undefined
    },
  )

  app.openapi(listRoute, (c) => {
    const { status, after, limit } = c.req.valid('query')
    return c.json(
      deps.queries.list({ limit, ...(status ? { status } : {}), ...(after ? { after } : {}) }),
      200,
    )
  })

  app.openapi(detailRoute, (c) =>
    c.json(withLaneWaiting(deps.queries.detail(c.req.valid('param').id), deps.monitor.workers()), 200),
  )

  app.openapi(cancelRoute, async (c) => {
    const { id } = c.req.valid('param')
    const cancelled = await deps.monitor.cancel(id, 'cancelled by request')
    if (!cancelled)
      throw new BanzaiError(
        'conflict',
        `pipeline ${id} has already ended (${deps.queries.detail(id).status})`,
      )
    return c.json(deps.queries.detail(id), 202)
  })

  app.openapi(retryRoute, async (c) => {
    const { id } = c.req.valid('param')
    const detail = deps.queries.detail(id)
    if (!isEnded(detail.status))
      throw new BanzaiError(
        'conflict',
        `pipeline ${id} is ${detail.status}; only an ended pipeline can be retried`,
      )
    const spec = validateDocument(recordedDocument(deps, id), deps.catalogue)
    const result = await deps.monitor.retry(id, spec, {
      idempotencyKey: c.req.valid('header')['Idempotency-Key'] ?? null,
    })
    return submitted(c, deps, result, { spec, retryOf: id })
  })
}
