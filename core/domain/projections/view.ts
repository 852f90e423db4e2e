import { z } from 'zod'
import { Cid } from '../cid.ts'

/** Pipeline status of SPEC §7. */
export const PipelineStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled'])
export type PipelineStatus = z.infer<typeof PipelineStatus>

/** Task status of SPEC §7. */
export const TaskStatus = z.enum(['pending', 'queued', 'running', 'succeeded', 'failed', 'cancelled'])
export type TaskStatus = z.infer<typeof TaskStatus>

const ENDED: ReadonlySet<PipelineStatus | TaskStatus> = new Set(['succeeded', 'failed', 'cancelled'])

/** Whether a pipeline or task status is final (succeeded, failed or cancelled): nothing more happens to it. */
export function isEnded(status: PipelineStatus | TaskStatus): boolean {
  return ENDED.has(status)
}

/** Progress of a task: `done` of `total` `unit`s (items, bytes, epochs…). */
export const Progress = z.object({ done: z.number(), total: z.number(), unit: z.string() })
export type Progress = z.infer<typeof Progress>

/** One shard of a task, as the dashboard shows it. */
export const ShardView = z.object({
  shard: z.number().int(),
  attempt: z.number().int(),
  status: TaskStatus,
  worker: z.string().nullable(),
  progress: Progress.nullable(),
  /** Why its worker was chosen (`free`, `locality`), once dispatch names one (v3; last: key order is compared). */
  reason: z.string().optional(),
})
export type ShardView = z.infer<typeof ShardView>

/** A step of a pipeline (where a cached output came from, or the nearest earlier run). */
export const StepRef = z.object({ pipelineId: z.string(), step: z.number().int() })
export type StepRef = z.infer<typeof StepRef>

/** One task of `GET /pipelines/:id` (SPEC §7), plus its shards. */
export const TaskDetail = z.object({
  index: z.number().int(),
  /** v3 graphs: the task's id (absent on list documents). */
  id: z.string().nullable().optional(),
  /** v3 graphs: the steps it takes its input from, in order (absent on list documents: the previous step). */
  inputs: z.array(z.number().int()).optional(),
  call: z.string(),
  args: z.array(z.unknown()),
  lane: z.string(),
  status: TaskStatus,
  attempt: z.number().int(),
  worker: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  progress: Progress.nullable(),
  shards: z.object({ total: z.number().int(), succeeded: z.number().int(), running: z.number().int() }),
  cacheHit: z.boolean(),
  output: Cid.nullable().describe("the step's output CID"),
  error: z.string().nullable(),
  /** Per-shard state; the API may leave it out of list views. */
  units: z.array(ShardView),
  /** The pipeline this step waited on (single flight), or where its cached output came from. */
  joined: z.string().nullable(),
  cachedFrom: StepRef.nullable(),
  /** Why a queued task does not start, from the live workers (e.g. "waiting for a worker on lane gpu"). */
  waiting: z.string().optional(),
})
export type TaskDetail = z.infer<typeof TaskDetail>

/** `GET /pipelines/:id` (SPEC §7). */
export const PipelineDetail = z.object({
  id: z.string(),
  name: z.string(),
  status: PipelineStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  pipelineSeq: z.number().int(),
  retryOf: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  cache: z.boolean(),
  output: Cid.nullable(),
  error: z.string().nullable(),
  tasks: z.array(TaskDetail),
})
export type PipelineDetail = z.infer<typeof PipelineDetail>

/** A row of `GET /pipelines` (SPEC §7). */
export const PipelineSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: PipelineStatus,
  /** Index of the current (or last) step. */
  step: z.number().int(),
  steps: z.number().int(),
  /** 0 to 1. */
  progress: z.number().min(0).max(1),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type PipelineSummary = z.infer<typeof PipelineSummary>
