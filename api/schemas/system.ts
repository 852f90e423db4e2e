import { z } from '@hono/zod-openapi'
import { TransportEndpoints } from '../../core/domain/index.ts'
import { integerParam } from './common.ts'
import { BLOB_TYPES } from '../http/sniff-content-type.ts'

/** A live worker (from its heartbeats). */
export const Worker = z
  .object({
    id: z.string(),
    host: z.string(),
    pid: z.number().int(),
    lanes: z.array(z.string()),
    slots: z.number().int(),
    inFlight: z.array(z.string()),
    lastHeartbeat: z.string(),
  })
  .openapi('Worker')

/** `GET /workers` answer. */
export const WorkerList = z.object({ workers: z.array(Worker) }).openapi('WorkerList')

/** A task declaration with its argument schemas as JSON Schema. */
export const TaskInfo = z
  .object({
    name: z.string(),
    version: z.number().int(),
    lane: z.string(),
    doc: z.string(),
    perItem: z.boolean(),
    external: z.boolean(),
    timeoutMs: z.number().int(),
    args: z.array(
      z.object({
        name: z.string(),
        doc: z.string(),
        optional: z.boolean(),
        rest: z.boolean(),
        schema: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .openapi('TaskInfo')

/** `GET /tasks` answer. */
export const TaskList = z.object({ tasks: z.array(TaskInfo) }).openapi('TaskList')

/** `GET /transport` answer: the monitor's ZeroMQ endpoints (SPEC §6), the domain's schema. */
export const TransportInfo = TransportEndpoints

/** `GET /healthz` answer. */
export const Health = z.object({ status: z.literal('ok'), lastSeq: z.number().int() }).openapi('Health')

/** `GET /events` query: where to resume (the header `Last-Event-ID` wins) and the token browsers cannot send as a header. */
export const StreamQuery = z.object({
  after: integerParam(
    0,
    Number.MAX_SAFE_INTEGER,
    'resume after this global seq (default: from the latest)',
  ).optional(),
  access_token: z
    .string()
    .optional()
    .openapi({ description: 'bearer token for EventSource, which cannot send headers' }),
})

/** `Last-Event-ID` of `GET /events`. */
export const StreamHeaders = z.object({
  'Last-Event-ID': z
    .string()
    .regex(/^\d{1,15}$/, 'must be a global event seq')
    .optional(),
})

/** `GET /blobs/:cid` query. */
export const BlobQuery = z.object({
  type: z
    .enum(BLOB_TYPES)
    .optional()
    .openapi({ description: 'serve as this media type instead of the sniffed one' }),
})
