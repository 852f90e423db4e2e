import type { PipelineDetail, PipelineSpec, StoredEvent, WorkerInfo } from '../domain/index.ts'
import type { EventCounts } from './engine/counters.ts'
import type { GcReport } from './garbage-collection.ts'
import type { MonitorQueries } from './queries.ts'

/** What the monitor reports for `/metrics` and health, read at each scrape. */
export interface MonitorStats {
  /** Committed events counted since the monitor started. */
  counts: Readonly<EventCounts>
  /** Seconds each of the recent commits took (up to 1000). */
  appendSeconds: readonly number[]
  /** Ticks committed since the monitor started, and the seconds they took in all. */
  commits: number
  commitSeconds: number
  /** Transport messages dropped as malformed or unknown, by kind. */
  transportDropped: Record<string, number>
  /** Workers whose heartbeats are live. */
  workersConnected: number
  /** Pipelines held live in memory. */
  livePipelines: number
  /** Orders out with workers (leases held). */
  unitsInFlight: number
}

/** The read models the API answers from: committed rows only. */
export type MonitorReadModels = Pick<
  MonitorQueries,
  'detail' | 'list' | 'events' | 'stateAt' | 'logs' | 'cache'
>

/** Options of a submission: an Idempotency-Key (SPEC §7). */
export interface SubmitOptions {
  idempotencyKey?: string | null
}

/** What a submission resolves with once committed. */
export interface Submission {
  id: string
  /** False when the Idempotency-Key named a pipeline submitted before. */
  created: boolean
  /** The committed detail of a pipeline just created, from memory (spares the API a read and a parse). */
  detail?: PipelineDetail
}

/** The monitor as the API sees it: requests, the committed log, and stats. Nothing else. */
export interface MonitorPort {
  /** Records a validated pipeline; resolves once `PipelineSubmitted` is committed. */
  submit(spec: PipelineSpec, options?: SubmitOptions): Promise<Submission>
  /** Cancels a live pipeline; resolves false when it had already ended. */
  cancel(id: string, reason?: string): Promise<boolean>
  /** Submits `spec` again as a retry of the ended pipeline `retryOf`. */
  retry(retryOf: string, spec: PipelineSpec, options?: SubmitOptions): Promise<Submission>
  /** Records `PipelineDeleted` for a finished pipeline (not_found, or conflict while it runs). */
  deletePipeline(id: string, reason?: string): Promise<void>
  /** Garbage collection while the engine runs (SPEC §4): never removes a referenced or recent blob. */
  collectGarbage(options?: { maxBytes?: number }): Promise<GcReport>
  /** Forgets memoized results (all, or of one task), between two ticks. */
  clearCache(task?: string): Promise<{ steps: number; items: number }>
  /** The highest committed event seq (in memory). */
  lastSeq(): number
  /** The highest seq in the event log, read from disk; throws if the log cannot be read. */
  readLastSeq(): number
  /** Committed events after `seq`, at most `limit`. */
  readAfter(seq: number, limit: number): StoredEvent[]
  /** Registers a listener of committed events (SSE); returns the way to remove it. */
  onCommitted(listener: (events: StoredEvent[]) => void): () => void
  /** Live workers, from their heartbeats. */
  workers(): WorkerInfo[]
  /** Counters and gauges for `/metrics`, from memory (cheap; read at each scrape). */
  stats(): MonitorStats
  /** Pipelines by status, counted in the pipeline table. */
  countPipelines(): Record<string, number>
}
