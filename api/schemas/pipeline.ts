import { z } from '@hono/zod-openapi'
import * as domain from '../../core/domain/index.ts'
import { integerParam, Limit, named } from './common.ts'

/** `:id` of the pipeline routes. */
export const PipelineParams = z.object({
  id: domain.PipelineId,
})
/** `:id/tasks/:step` of the task routes. */
export const TaskParams = PipelineParams.extend({
  step: integerParam(0, 9_999, 'the step index'),
})

/** The body of `POST /pipelines`, the domain's document schema, described (not parsed) by the OpenAPI document. */
export const PipelineDocument = named(domain.PipelineDocument, 'PipelineDocument')

/** Where the OpenAPI document lists `PipelineDocument`. */
export const PIPELINE_DOCUMENT_REF = '#/components/schemas/PipelineDocument'

// The shapes are the domain's (core/domain); here they get their OpenAPI names. A name goes on
// a copy, so a schema nesting a named one is rebuilt around the named copy to keep its `$ref`.

/** A row of `GET /pipelines`. */
export const PipelineSummary = named(domain.PipelineSummary, 'PipelineSummary')

/** One task of a pipeline detail. */
export const TaskDetail = named(domain.TaskDetail, 'TaskDetail')

/** `GET /pipelines/:id`. */
export const PipelineDetail = named(
  domain.PipelineDetail.extend({ tasks: z.array(TaskDetail) }),
  'PipelineDetail',
)

/** `GET /pipelines` query. */
export const ListQuery = z.object({
  status: domain.PipelineStatus.optional(),
  after: domain.PipelineId.optional(),
  limit: Limit,
})

/** `GET /pipelines` answer. */
export const SummaryPage = named(
  domain.SummaryPage.extend({ items: z.array(PipelineSummary) }),
  'SummaryPage',
)

/** A stored event (SPEC §5): its place in the log, its type and its data. */
export const StoredEvent = named(domain.StoredEvent, 'StoredEvent')

/** `?after=&limit=` of paged reads; `after` is the `next` of the previous page. */
export const AfterQuery = z.object({
  after: integerParam(0, Number.MAX_SAFE_INTEGER, 'the `next` of the previous page').default(0),
  limit: Limit,
})

/** `GET /pipelines/:id/events` answer. */
export const EventPage = named(domain.EventPage.extend({ events: z.array(StoredEvent) }), 'EventPage')

/** `GET /pipelines/:id/state` query. */
export const StateQuery = z.object({
  at: integerParam(1, Number.MAX_SAFE_INTEGER, "the pipeline's N-th event (pipelineSeq)"),
})

/** `GET /pipelines/:id/tasks/:step/logs` answer. */
export const LogPage = named(domain.LogPage, 'LogPage')

/** `GET /pipelines/:id/tasks/:step/cache` answer: the memo key parts, and for a miss what differed. */
export const CacheInfo = named(domain.CacheInfo, 'CacheInfo')

/** `Idempotency-Key` of the submitting routes. */
export const IdempotencyHeaders = z.object({
  'Idempotency-Key': z.string().min(1).max(200).optional().openapi({
    description: 'the same key returns the same pipeline',
  }),
})

/** `:cid` of `GET /blobs/:cid`. */
export const BlobParams = z.object({ cid: domain.Cid })
