import {
  BanzaiError,
  type Catalogue,
  type MonitorTransport,
  type PipelineDetail,
  type PipelineId,
  type PipelineSpec,
  type StoredEvent,
  type Store,
  type WorkerInfo,
} from '../../domain/index.ts'
import { randomBytes, randomUUID } from 'node:crypto'
import { type ClusterIdentity, createClusterIdentity } from '../cluster-identity.ts'
import type { GcReport } from '../garbage-collection.ts'
import type { MonitorPort, MonitorStats, SubmitOptions, Submission } from '../monitor-port.ts'
import type { MonitorSettings } from '../settings.ts'
import type { Db } from '../sqlite/open-database.ts'
import { type SpaceReserve, spaceRefusal } from '../sqlite/space-reserve.ts'
import { type Clock, systemClock } from './clock.ts'
import { writeLaggingRows } from './commit.ts'
import { createCounters } from './counters.ts'
import { type EngineParts, type EngineState, wireEngineParts } from './engine-parts.ts'
import { createEngineState } from './engine-state.ts'
import { GarbageCollector } from './garbage-collector.ts'
import { Mailbox } from './mailbox.ts'
import { restoreLive } from './restore.ts'
import { TickRunner } from './tick-runner.ts'

/** What the engine is built from. */
export interface MonitorDeps {
  db: Db
  store: Store
  transport: MonitorTransport
  catalogue: Catalogue
  settings: MonitorSettings
  clock?: Clock
  /** Makes a new pipeline id (default: time-ordered, random suffix). */
  newPipelineId?: () => string
  /** Where the engine reports problems it survives. */
  onError?: (message: string, error: unknown) => void
  /** The data folder's cluster id and order secret (default: a fresh one, for tests). */
  identity?: ClusterIdentity
  /** Room kept for a full disk (default: none, and a full disk refuses every write). */
  reserve?: SpaceReserve
}

function defaultPipelineId(): string {
  return `p${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
}

/**
 * The monitor's engine: the event log, the pipeline actors, the scheduler and the memo. Inputs
 * (worker messages, submissions, cancels, clock ticks) are handled in ticks; each tick's events
 * commit in one transaction, then orders, cancels and acks are sent. The API sees it through
 * `MonitorPort`.
 */
export class Monitor implements MonitorPort {
  private readonly state: EngineState
  private readonly parts: EngineParts
  private readonly counters = createCounters()
  private readonly onError: (message: string, error: unknown) => void
  private readonly refused: Record<string, number> = {}
  /** The cluster this monitor's orders and reports belong to. */
  readonly identity: ClusterIdentity
  private readonly listeners = new Set<(events: StoredEvent[]) => void>()
  private readonly mailbox = new Mailbox((batch) => this.ticks.run(batch))
  private readonly ticks: TickRunner
  private readonly gc: GarbageCollector
  private timer: NodeJS.Timeout | null = null
  private readonly reserve: SpaceReserve | undefined

  constructor(deps: MonitorDeps) {
    const { db, settings } = deps
    const clock = deps.clock ?? systemClock
    this.identity = deps.identity ?? createClusterIdentity(`c-${randomUUID()}`, randomBytes(32))
    this.onError = deps.onError ?? ((message, error) => console.error(`monitor: ${message}`, error))
    this.state = createEngineState(db, { clock, transport: deps.transport, settings })
    this.parts = wireEngineParts(this.state, {
      db,
      store: deps.store,
      catalogue: deps.catalogue,
      newPipelineId: deps.newPipelineId ?? defaultPipelineId,
      committedSeq: () => this.ticks.seq,
      identity: this.identity,
      warn: (message) => this.onError(message, new BanzaiError('corrupt', message)),
      countRefused: (kind) => {
        const key = `refused_${kind}`
        this.refused[key] = (this.refused[key] ?? 0) + 1
      },
      onRefused: (workerId, reason) =>
        this.onError(`refused worker ${workerId}`, new BanzaiError('invalid_input', reason)),
      postVerdict: (message, readable) => this.mailbox.post({ kind: 'checked', message, readable }),
      postMemoVerdict: (verdict) => this.mailbox.post({ kind: 'memoChecked', verdict }),
      ...(deps.reserve ? { reserve: deps.reserve } : {}),
    })
    this.reserve = deps.reserve
    this.gc = new GarbageCollector({
      store: this.parts.store,
      roots: this.state.roots,
      memo: this.parts.memo,
      leases: this.state.leases,
      exclusive: (work) => this.exclusive(work),
      drainTimeoutMs: Math.max(60_000, settings.leaseMs * 6),
    })
    this.ticks = new TickRunner({
      state: this.state,
      parts: this.parts,
      counters: this.counters,
      gc: this.gc,
      listeners: this.listeners,
      post: (input) => this.mailbox.post(input),
      onError: this.onError,
      ...(deps.reserve ? { reserve: deps.reserve } : {}),
    })
  }

  /**
   * Loads the live pipelines from their snapshots (no replay of history, nothing re-sent),
   * gives their in-flight units a fresh lease, and starts listening and ticking.
   */
  start(): void {
    this.ticks.seq = this.state.log.lastSeq()
    this.reserve?.arm()
    this.state.roots.backfill(this.state.log)
    restoreLive(this.parts.restoring)
    // A step that waited for a memo check is pending with its inputs done: its start runs again.
    this.mailbox.post({ kind: 'resumeStarts' })
    this.state.transport.onMessage((message) => {
      this.gc.noteReport(message)
      this.mailbox.post({ kind: 'message', message })
    })
    this.state.transport.onWorkerGone((workerId) => this.mailbox.post({ kind: 'workerGone', workerId }))
    this.state.transport.publish({ type: 'Hello', lanes: [] })
    this.timer = setInterval(() => this.mailbox.post({ kind: 'clock' }), this.state.settings.tickMs)
    this.mailbox.post({ kind: 'clock' })
  }

  /**
   * Stops ticking, waits for the tick under way and writes the snapshot rows that lag (a restart
   * then replays no tail); the caller closes the transport and db.
   */
  async stop(): Promise<void> {
    this.ticks.isStopping = true
    const closing = this.mailbox.close()
    if (this.timer) clearInterval(this.timer)
    await closing
    this.ticks.commitOpen()
    try {
      writeLaggingRows(this.parts.committing)
    } catch (error) {
      this.onError('writing the snapshot rows at shutdown failed; a restart replays their events', error)
    }
  }

  /** The committed detail of a live pipeline whose snapshot row may lag (reads answer it first). */
  committedDetail(id: string): PipelineDetail | undefined {
    return this.state.schedule.detail(id)
  }

  onCommitted(listener: (events: StoredEvent[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  submit(spec: PipelineSpec, options: SubmitOptions = {}): Promise<Submission> {
    return this.request(spec, options.idempotencyKey ?? null, null)
  }

  retry(retryOf: string, spec: PipelineSpec, options: SubmitOptions = {}): Promise<Submission> {
    return this.request(spec, options.idempotencyKey ?? null, retryOf)
  }

  cancel(id: string, reason = 'cancelled by request'): Promise<boolean> {
    return new Promise((resolve, reject) =>
      this.mailbox.post({ kind: 'cancel', id: id as PipelineId, reason, done: { resolve, reject } }),
    )
  }

  deletePipeline(id: string, reason = 'deleted by request'): Promise<void> {
    return new Promise((resolve, reject) =>
      this.mailbox.post({ kind: 'delete', id: id as PipelineId, reason, done: { resolve, reject } }),
    )
  }

  collectGarbage(options: { maxBytes?: number } = {}): Promise<GcReport> {
    return this.gc.collect(options)
  }

  clearCache(task?: string): Promise<{ steps: number; items: number }> {
    return this.exclusive(() => Promise.resolve(this.parts.memo.clear(task)))
  }

  /** Runs `work` between two ticks: nothing commits while it runs. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let result: T
      this.mailbox.post({
        kind: 'exclusive',
        run: async () => {
          result = await work()
        },
        done: { resolve: () => resolve(result), reject },
      })
    })
  }

  lastSeq(): number {
    return this.ticks.seq
  }

  readLastSeq(): number {
    return this.state.log.lastSeq()
  }

  readAfter(seq: number, limit: number): StoredEvent[] {
    return this.state.log.readAfter(seq, limit)
  }

  workers(): WorkerInfo[] {
    return this.state.workers.list()
  }

  stats(): MonitorStats {
    const { appendSeconds, commits, commitSeconds, ...counts } = this.counters
    return {
      counts,
      appendSeconds,
      commits,
      commitSeconds,
      // Reports refused by cluster, token or worker count as dropped messages, by rule.
      transportDropped: {
        ...this.state.transport.dropped(),
        ...this.refused,
      },
      workersConnected: this.state.workers.size(),
      livePipelines: this.state.actors.size,
      unitsInFlight: this.state.leases.size(),
    }
  }

  /** Why new pipelines are refused (the disk is full; what to free), or null: for `GET /healthz`. */
  spaceFailure(): string | null {
    return spaceRefusal(this.reserve)
  }

  countPipelines(): Record<string, number> {
    return this.state.pipelines.countByStatus()
  }

  private request(
    spec: PipelineSpec,
    idempotencyKey: string | null,
    retryOf: string | null,
  ): Promise<Submission> {
    return new Promise((resolve, reject) => {
      this.mailbox.post({ kind: 'submit', spec, idempotencyKey, retryOf, done: { resolve, reject } })
    })
  }
}
