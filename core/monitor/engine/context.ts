import type {
  Catalogue,
  Cid,
  DatasetManifest,
  DomainEvent,
  MonitorTransport,
  PipelineDetail,
  PipelineId,
  PipelineSnapshot,
  Store,
} from '../../domain/index.ts'
import type { EventLog } from '../event-log.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { MemoTable } from '../memo-table.ts'
import type { PipelineTable } from '../pipeline-table.ts'
import type { MonitorSettings } from '../settings.ts'
import type { TaskLogTable } from '../task-log-table.ts'
import type { WorkerRegistry } from '../worker-registry.ts'
import type { MonotonicTimes } from './monotonic-times.ts'
import type { Tick } from './tick.ts'

/** A live pipeline: its machine snapshot and its projection. */
export interface Actor {
  id: PipelineId
  snapshot: PipelineSnapshot
  detail: PipelineDetail | null
  lastSeq: number
  idempotencyKey: string | null
}

/** Where time comes from: wall time for events, monotonic time for leases. */
export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  wall(): number
  /** Monotonic milliseconds; never jumps. */
  monotonic(): number
}

/** Counters the monitor keeps for /metrics. */
export interface MonitorCounters {
  dispatched: number
  succeeded: number
  failed: number
  cached: number
  joined: number
  expired: number
  ignored: number
  appendSeconds: number[]
}

/** What the engine's parts share: tables, ports, live actors and the way to log an event. */
export interface EngineContext {
  readonly catalogue: Catalogue
  readonly store: Store
  readonly transport: MonitorTransport
  readonly settings: MonitorSettings
  readonly clock: Clock
  readonly log: EventLog
  readonly pipelines: PipelineTable
  readonly memo: MemoTable
  readonly taskLogs: TaskLogTable
  readonly leases: LeaseTable
  readonly workers: WorkerRegistry
  readonly actors: Map<PipelineId, Actor>
  readonly counters: MonitorCounters
  /** Step starts and retry due times, measured monotonically. */
  readonly times: MonotonicTimes
  /** Appends an event to a pipeline (staged in the tick) and carries out what its machine says. */
  emit(tick: Tick, pipelineId: PipelineId, event: DomainEvent): Promise<void>
  /** Reads a dataset manifest, cached by CID. */
  manifest(cid: Cid): Promise<DatasetManifest>
  /** ISO time now. */
  nowIso(): string
}
