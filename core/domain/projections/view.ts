import type { Cid } from '../cid.ts'

/** Pipeline status of SPEC §7. */
export type PipelineStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
/** Task status of SPEC §7. */
export type TaskStatus = 'pending' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** Progress of a task: `done` of `total` `unit`s (items, bytes, epochs…). */
export interface Progress {
  done: number
  total: number
  unit: string
}

/** One shard of a task, as the dashboard shows it. */
export interface ShardView {
  shard: number
  attempt: number
  status: TaskStatus
  worker: string | null
  progress: Progress | null
}

/** One task of `GET /pipelines/:id` (SPEC §7), plus its shards. */
export interface TaskDetail {
  index: number
  call: string
  args: unknown[]
  lane: string
  status: TaskStatus
  attempt: number
  worker: string | null
  startedAt: string | null
  endedAt: string | null
  progress: Progress | null
  shards: { total: number; succeeded: number; running: number }
  cacheHit: boolean
  output: Cid | null
  error: string | null
  /** Per-shard state; the API may leave it out of list views. */
  units: ShardView[]
  /** The pipeline this step waited on (single flight), or where its cached output came from. */
  joined: string | null
  cachedFrom: { pipelineId: string; step: number } | null
}

/** `GET /pipelines/:id` (SPEC §7). */
export interface PipelineDetail {
  id: string
  name: string
  status: PipelineStatus
  createdAt: string
  updatedAt: string
  pipelineSeq: number
  retryOf: string | null
  labels: Record<string, string>
  cache: boolean
  output: Cid | null
  error: string | null
  tasks: TaskDetail[]
}

/** A row of `GET /pipelines` (SPEC §7). */
export interface PipelineSummary {
  id: string
  name: string
  status: PipelineStatus
  /** Index of the current (or last) step. */
  step: number
  steps: number
  /** 0 to 1. */
  progress: number
  createdAt: string
  updatedAt: string
}
