import type { PipelineSummary, StoredEvent } from '../../../core/domain/index.ts'

/** `GET /api/pipelines` (SPEC §7): one page of list rows; `next` is the `after` of the next page. */
export interface SummaryPage {
  items: PipelineSummary[]
  next: string | null
}

/** `GET /api/pipelines/:id/events`: one page of a pipeline's events; `next` is a pipelineSeq. */
export interface EventPage {
  events: StoredEvent[]
  next: number | null
}

/** One log line of `GET /api/pipelines/:id/tasks/:step/logs`. */
export interface TaskLogLine {
  at: string
  level: 'debug' | 'info' | 'warn' | 'error'
  msg: string
  shard: number
  attempt: number
}

/** `GET /api/pipelines/:id/tasks/:step/logs`. */
export interface LogPage {
  lines: TaskLogLine[]
  next: number | null
}

/** A worker of `GET /api/workers`. */
export interface WorkerInfo {
  id: string
  host: string
  pid: number
  lanes: string[]
  slots: number
  inFlight: string[]
  lastHeartbeat: string
}

/** One argument of a catalogue entry; `schema` is JSON Schema. */
export interface TaskArgInfo {
  name: string
  doc: string
  optional: boolean
  rest: boolean
  schema: unknown
}

/** A task declaration of `GET /api/tasks`. */
export interface TaskInfo {
  name: string
  version: number
  lane: string
  doc: string
  perItem: boolean
  external: boolean
  timeoutMs: number
  args: TaskArgInfo[]
}

/** The fields of LEARN's output document the training view reads (tasks/learn/model-document.ts). */
export interface ModelDocument {
  kind: 'banzai.model/1'
  task: 'classifier' | 'autoencoder'
  backend: string
  labels: string[]
  reason?: string
  metrics: {
    epochs: { loss: number; valLoss: number | null; acc?: number; valAcc?: number | null }[]
    test: { accuracy: number; confusion: number[][]; frameAccuracy?: number; recordings?: number } | { mse: number; baselineMse: number } | null
  }
}
