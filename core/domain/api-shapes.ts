import { z } from 'zod'
import { DatasetItem, DatasetSource } from './dataset.ts'
import type { FieldError } from './errors.ts'
import { StoredEvent } from './events.ts'
import { LogLine } from './messages.ts'
import { PipelineSummary, StepRef } from './projections/view.ts'

/** `GET /pipelines` (SPEC §7): one page of list rows; `next` is the `after` (a pipeline id) of the next page, or null. */
export const SummaryPage = z.object({ items: z.array(PipelineSummary), next: z.string().nullable() })
export type SummaryPage = z.infer<typeof SummaryPage>

/** `GET /pipelines/:id/events`: one page of a pipeline's events; `next` is a pipelineSeq, or null. */
export const EventPage = z.object({ events: z.array(StoredEvent), next: z.number().int().nullable() })
export type EventPage = z.infer<typeof EventPage>

/**
 * `GET /datasets/:cid/items` (SPEC §7 v3): one page of a dataset manifest's items, so a large
 * dataset never travels whole; `next` is the `after` (an item index) of the next page, or null.
 */
export const DatasetItemPage = z.object({
  items: z.array(DatasetItem),
  /** Items in the dataset (of the speaker, when filtered). */
  total: z.number().int().min(0),
  /** Seconds of audio of those items. */
  seconds: z.number().min(0),
  /** Every speaker of the dataset, sorted. */
  speakers: z.array(z.string()),
  sources: z.array(DatasetSource.omit({ skipped: true }).extend({ skipped: z.number().int().min(0) })),
  next: z.number().int().nullable(),
})
export type DatasetItemPage = z.infer<typeof DatasetItemPage>

/** One log line of `GET /pipelines/:id/tasks/:step/logs`: a task's line and the unit attempt that wrote it. */
export const TaskLogLine = LogLine.extend({ shard: z.number().int(), attempt: z.number().int() })
export type TaskLogLine = z.infer<typeof TaskLogLine>

/** `GET /pipelines/:id/tasks/:step/logs`; `next` is the `after` of the next page, or null. */
export const LogPage = z.object({ lines: z.array(TaskLogLine), next: z.number().int().nullable() })
export type LogPage = z.infer<typeof LogPage>

/** The parts a step's memo key is hashed from (SPEC §1, §5). */
export const MemoParts = z.object({
  call: z.string(),
  version: z.number().int(),
  args: z.array(z.unknown()),
  input: z.string().nullable(),
  /** A step with several inputs: every input CID in order (`input` is then their concatenation). */
  inputs: z.array(z.string()).optional(),
})
export type MemoParts = z.infer<typeof MemoParts>

/** `GET /pipelines/:id/tasks/:step/cache`: the memo key parts, and for a miss the nearest earlier run and what differed. */
export const CacheInfo = z.object({
  step: z.number().int(),
  status: z.enum(['hit', 'miss', 'joined', 'pending', 'bypassed']),
  key: z.string().nullable(),
  parts: MemoParts.nullable(),
  from: StepRef.nullable(),
  /** For a miss: the nearest earlier run of the same call, and which parts differed. */
  nearest: StepRef.extend({ key: z.string(), differs: z.array(MemoParts.keyof()) }).nullable(),
})
export type CacheInfo = z.infer<typeof CacheInfo>

/** A live worker of `GET /workers`, from its heartbeats; `lastHeartbeat` is ISO time. */
export const WorkerInfo = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  lanes: z.array(z.string()),
  slots: z.number().int(),
  inFlight: z.array(z.string()),
  lastHeartbeat: z.string(),
  /** Where the monitor sends this worker's orders (v2). */
  endpoint: z.string().optional(),
  /** Set when the monitor refuses the worker (another protocol version, no endpoint, registry full). */
  refused: z.string().optional(),
})
export type WorkerInfo = z.infer<typeof WorkerInfo>

/** `GET /workers` (SPEC §7). */
export const WorkerList = z.object({ workers: z.array(WorkerInfo) })
export type WorkerList = z.infer<typeof WorkerList>

/** One argument of a task declaration; `schema` is its JSON Schema. */
export const TaskArgInfo = z.object({
  name: z.string(),
  doc: z.string(),
  optional: z.boolean(),
  rest: z.boolean(),
  schema: z.record(z.string(), z.unknown()),
})
export type TaskArgInfo = z.infer<typeof TaskArgInfo>

/** A task declaration of `GET /tasks`, with its argument schemas as JSON Schema; `timeoutMs` in ms. */
export const TaskInfo = z.object({
  name: z.string(),
  version: z.number().int(),
  lane: z.string(),
  doc: z.string(),
  perItem: z.boolean(),
  external: z.boolean(),
  accepts: z
    .array(z.enum(['none', 'dataset', 'model']))
    .describe('kinds of input the task takes (SPEC §2 v3)'),
  produces: z
    .enum(['none', 'dataset', 'model', 'input'])
    .describe("kind of its output; `input`: a pass-through's"),
  timeoutMs: z.number().int(),
  args: z.array(TaskArgInfo),
})
export type TaskInfo = z.infer<typeof TaskInfo>

/** `GET /tasks`. */
export const TaskList = z.object({ tasks: z.array(TaskInfo) })
export type TaskList = z.infer<typeof TaskList>

/** One field error of a problem body: a `FieldError`, where (`tasks[2].args[0]`) and which rule broke. */
const FieldErrorItem = z.object({ path: z.string(), message: z.string() }) satisfies z.ZodType<FieldError>

/** Every error answer of the API (SPEC §7): RFC 9457 problem details plus the field errors; `type` is `urn:banzai:problem:<code>`. */
export const ProblemDetails = z.object({
  type: z.string().meta({ example: 'urn:banzai:problem:invalid_input' }),
  title: z.string().meta({ example: 'Unprocessable Content' }),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(FieldErrorItem),
})
export type ProblemDetails = z.infer<typeof ProblemDetails>

/** `DELETE /pipelines/:id` answer: the pipeline was recorded as `PipelineDeleted`. */
export const DeletedAnswer = z.object({ id: z.string(), deleted: z.literal(true) })
export type DeletedAnswer = z.infer<typeof DeletedAnswer>

/** `POST /gc` answer: what a garbage collection removed and kept. */
export const GcResult = z.object({
  referenced: z.number().int(),
  kept: z.number().int(),
  removed: z.number().int(),
  removedBytes: z.number().int(),
  keptBytes: z.number().int(),
})
export type GcResult = z.infer<typeof GcResult>

/** `POST /cache/clear` answer: memo rows forgotten. */
export const CacheCleared = z.object({ steps: z.number().int(), items: z.number().int() })
export type CacheCleared = z.infer<typeof CacheCleared>
