import { z } from '@hono/zod-openapi'
import { Cid, IsoTime, PipelineId } from '../../core/domain/index.ts'
import { integerParam, Limit } from './common.ts'

/** Pipeline statuses of SPEC §7. */
export const PIPELINE_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const
/** Task statuses of SPEC §7. */
export const TASK_STATUSES = ['pending', 'queued', 'running', 'succeeded', 'failed', 'cancelled'] as const

/** `:id` of the pipeline routes. */
export const PipelineParams = z.object({
  id: PipelineId,
})
/** `:id/tasks/:step` of the task routes. */
export const TaskParams = PipelineParams.extend({
  step: integerParam(0, 9_999, 'the step index'),
})

/** A task as written in a pipeline document (SPEC §2). */
export const TaskInput = z
  .strictObject({
    call: z.string().openapi({ example: 'EXTRACT_MFCC' }),
    args: z
      .array(z.unknown())
      .optional()
      .openapi({ example: [32, 24, 1, 8000, 16000] }),
    lane: z.string().optional().openapi({ example: 'gpu' }),
    timeoutMs: z.number().int().optional(),
  })
  .openapi('TaskInput')

/** The body of `POST /pipelines`: the seed's bare array, or `{name, tasks, labels, cache}` (SPEC §2). */
export const PipelineDocument = z
  .union([
    z.array(TaskInput),
    z.strictObject({
      name: z.string().optional(),
      tasks: z.array(TaskInput),
      labels: z.record(z.string(), z.string()).optional(),
      cache: z.boolean().optional(),
    }),
  ])
  .openapi('PipelineDocument', {
    description: 'Validated against the task catalogue; a bad document is rejected whole (422).',
  })

const Progress = z.object({ done: z.number(), total: z.number(), unit: z.string() }).nullable()
const status = z.enum(PIPELINE_STATUSES)
const taskStatus = z.enum(TASK_STATUSES)

/** A row of `GET /pipelines`. */
export const PipelineSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    status,
    step: z.number().int(),
    steps: z.number().int(),
    progress: z.number().min(0).max(1),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('PipelineSummary')

/** One task of a pipeline detail. */
export const TaskDetail = z
  .object({
    index: z.number().int(),
    call: z.string(),
    args: z.array(z.unknown()),
    lane: z.string(),
    status: taskStatus,
    attempt: z.number().int(),
    worker: z.string().nullable(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    progress: Progress,
    shards: z.object({ total: z.number().int(), succeeded: z.number().int(), running: z.number().int() }),
    cacheHit: z.boolean(),
    output: z.string().nullable().openapi({ description: "the step's output CID" }),
    error: z.string().nullable(),
    units: z.array(
      z.object({
        shard: z.number().int(),
        attempt: z.number().int(),
        status: taskStatus,
        worker: z.string().nullable(),
        progress: Progress,
      }),
    ),
    joined: z.string().nullable(),
    cachedFrom: z.object({ pipelineId: z.string(), step: z.number().int() }).nullable(),
  })
  .openapi('TaskDetail')

/** `GET /pipelines/:id`. */
export const PipelineDetail = z
  .object({
    id: z.string(),
    name: z.string(),
    status,
    createdAt: z.string(),
    updatedAt: z.string(),
    pipelineSeq: z.number().int(),
    retryOf: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    cache: z.boolean(),
    output: z.string().nullable(),
    error: z.string().nullable(),
    tasks: z.array(TaskDetail),
  })
  .openapi('PipelineDetail')

/** `GET /pipelines` query. */
export const ListQuery = z.object({
  status: status.optional(),
  after: PipelineId.optional(),
  limit: Limit,
})

/** `GET /pipelines` answer. */
export const SummaryPage = z
  .object({ items: z.array(PipelineSummary), next: z.string().nullable() })
  .openapi('SummaryPage')

/** A stored event (SPEC §5): its place in the log, its type and its data. */
export const Event = z
  .object({
    seq: z.number().int().min(1),
    pipelineId: z.string(),
    pipelineSeq: z.number().int().min(1),
    at: IsoTime,
    type: z.string().openapi({ example: 'StepStarted' }),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('StoredEvent')

/** `?after=&limit=` of paged reads; `after` is the `next` of the previous page. */
export const AfterQuery = z.object({
  after: integerParam(0, Number.MAX_SAFE_INTEGER, 'the `next` of the previous page').default(0),
  limit: Limit,
})

/** `GET /pipelines/:id/events` answer. */
export const EventPage = z
  .object({ events: z.array(Event), next: z.number().int().nullable() })
  .openapi('EventPage')

/** `GET /pipelines/:id/state` query. */
export const StateQuery = z.object({
  at: integerParam(1, Number.MAX_SAFE_INTEGER, "the pipeline's N-th event (pipelineSeq)"),
})

/** `GET /pipelines/:id/tasks/:step/logs` answer. */
export const LogPage = z
  .object({
    lines: z.array(
      z.object({
        at: z.string(),
        level: z.enum(['debug', 'info', 'warn', 'error']),
        msg: z.string(),
        shard: z.number().int(),
        attempt: z.number().int(),
      }),
    ),
    next: z.number().int().nullable(),
  })
  .openapi('LogPage')

const MemoParts = z.object({
  call: z.string(),
  version: z.number().int(),
  args: z.array(z.unknown()),
  input: z.string().nullable(),
})

/** `GET /pipelines/:id/tasks/:step/cache` answer: the memo key parts, and for a miss what differed. */
export const CacheInfo = z
  .object({
    step: z.number().int(),
    status: z.enum(['hit', 'miss', 'joined', 'pending', 'bypassed']),
    key: z.string().nullable(),
    parts: MemoParts.nullable(),
    from: z.object({ pipelineId: z.string(), step: z.number().int() }).nullable(),
    nearest: z
      .object({
        pipelineId: z.string(),
        step: z.number().int(),
        key: z.string(),
        differs: z.array(z.enum(['call', 'version', 'args', 'input'])),
      })
      .nullable(),
  })
  .openapi('CacheInfo')

/** `Idempotency-Key` of the submitting routes. */
export const IdempotencyHeaders = z.object({
  'Idempotency-Key': z.string().min(1).max(200).optional().openapi({
    description: 'the same key returns the same pipeline',
  }),
})

/** `:cid` of `GET /blobs/:cid`. */
export const BlobParams = z.object({ cid: Cid })
