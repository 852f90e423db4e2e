import { z } from '@hono/zod-openapi'
import * as domain from '../../core/domain/index.ts'
import { integerParam, named } from './common.ts'
import { BLOB_TYPES } from '../http/sniff-content-type.ts'

// The shapes are the domain's (core/domain); here they get their OpenAPI names, and the lists
// are rebuilt around the named copies so that they keep their `$ref`s.

/** A live worker (from its heartbeats). */
export const Worker = named(domain.WorkerInfo, 'Worker')

/** `GET /workers` answer. */
export const WorkerList = named(domain.WorkerList.extend({ workers: z.array(Worker) }), 'WorkerList')

/** A task declaration with its argument schemas as JSON Schema. */
export const TaskInfo = named(domain.TaskInfo, 'TaskInfo')

/** `GET /tasks` answer. */
export const TaskList = named(domain.TaskList.extend({ tasks: z.array(TaskInfo) }), 'TaskList')

/** `GET /transport` answer: the monitor's ZeroMQ endpoints (SPEC §6), the domain's schema. */
export const TransportInfo = domain.TransportEndpoints

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
