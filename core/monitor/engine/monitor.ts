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
import { EventLog } from '../event-log.ts'
import type { GcReport } from '../garbage-collection.ts'
import { GcRootsTable } from '../gc-roots-table.ts'
import { LeaseTable } from '../lease-table.ts'
import type { MonitorPort, MonitorStats, SubmitOptions, Submission } from '../monitor-port.ts'
import { PipelineTable } from '../pipeline-table.ts'
import type { MonitorSettings } from '../settings.ts'
import type { Db } from '../sqlite/open-database.ts'
import { WorkerRegistry } from '../worker-registry.ts'
import { type Clock, systemClock } from './clock.ts'
import { applyClock } from './clock-tick.ts'
import { sendAfterCommit, writeLaggingRows, writeTick } from './commit.ts'
import { countCommitted, createCounters, recordAppendSeconds } from './counters.ts'
import { dispatchReady } from './dispatch.ts'
import { loseWorker } from './dispatch-worker-lost.ts'
import { type EngineParts, type EngineState, wireEngineParts } from './engine-parts.ts'
import { handleDelete } from './delete-request.ts'
import { GarbageCollector } from './garbage-collector.ts'
import { Mailbox } from './mailbox.ts'
import { MonotonicTimes } from './monotonic-times.ts'
import { handleCancel, handleSubmit, type Input } from './requests.ts'
import { restoreLive } from './restore.ts'
import { SnapshotSchedule } from './snapshot-schedule.ts'
import { OPEN_TICK_MS, Tick } from './tick.ts'

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
  private readonly mailbox = new Mailbox((batch) => this.runTick(batch))
  private seq = 0
  private readonly gc: GarbageCollector
  private timer: NodeJS.Timeout | null = null
  /** A tick left open for the next batch (Tick.canWait), and the timer that commits it anyway. */
  private open: Tick | null = null
  private openTimer: NodeJS.Timeout | null = null
  private isStopping = false

  constructor(deps: MonitorDeps) {
    const { db, settings } = deps
    const clock = deps.clock ?? systemClock
    this.identity = deps.identity ?? createClusterIdentity(`c-${randomUUID()}`, randomBytes(32))
    this.onError = deps.onError ?? ((message, error) => console.error(`monitor: ${message}`, error))
    this.state = {
      actors: new Map(),
      log: new EventLog(db),
      pipelines: new PipelineTable(db),
      leases: new LeaseTable(settings.leaseMs),
      workers: new WorkerRegistry(settings.workerTimeoutMs),
      times: new MonotonicTimes(clock),
      clock,
      transport: deps.transport,
      settings,
      roots: new GcRootsTable(db),
      schedule: new SnapshotSchedule(),
    }
    this.parts = wireEngineParts(this.state, {
      db,
      store: deps.store,
      catalogue: deps.catalogue,
      newPipelineId: deps.newPipelineId ?? defaultPipelineId,
      committedSeq: () => this.seq,
      identity: this.identity,
      warn: (message) => this.onError(message, new BanzaiError('corrupt', message)),
      countRefused: (kind) => {
        const key = `refused_${kind}`
        this.refused[key] = (this.refused[key] ?? 0) + 1
      },
      onRefused: (workerId, reason) =>
        this.onError(`refused worker ${workerId}`, new BanzaiError('invalid_input', reason)),
    })
    this.gc = new GarbageCollector({
      store: this.parts.store,
      roots: this.state.roots,
      memo: this.parts.memo,
      leases: this.state.leases,
      exclusive: (work) => this.exclusive(work),
      drainTimeoutMs: Math.max(60_000, settings.leaseMs * 6),
    })
  }

  /**
   * Loads the live pipelines from their snapshots (no replay of history, nothing re-sent),
   * gives their in-flight units a fresh lease, and starts listening and ticking.
   */
  start(): void {
    this.seq = this.state.log.lastSeq()
    this.state.roots.backfill(this.state.log)
    restoreLive(this.parts.restoring)
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
    this.isStopping = true
    const closing = this.mailbox.close()
    if (this.timer) clearInterval(this.timer)
    await closing
    if (this.openTimer) clearTimeout(this.openTimer)
    if (this.open) this.commit(this.open)
    this.open = null
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
    return this.seq
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
    const { appendSeconds, ...counts } = this.counters
    return {
      counts,
      appendSeconds,
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

  private async runTick(batch: Input[]): Promise<void> {
    const hasExclusive = batch.some((i) => i.kind === 'exclusive')
    // An open tick commits before exclusive work, which must see everything before it committed.
    if (this.open && hasExclusive) this.commit(this.open)
    const tick = this.open && !hasExclusive ? this.open.carry() : new Tick()
    this.open = null
    const settled: (() => void)[] = []
    const failed: ((error: unknown) => void)[] = []
    // Exclusive work first, at a tick boundary: everything before it has committed, nothing after has begun.
    for (const input of batch) {
      if (input.kind !== 'exclusive') continue
      try {
        await input.run()
        input.done.resolve()
      } catch (error) {
        input.done.reject(error)
      }
    }
    for (const input of batch) {
      if (input.kind === 'exclusive') continue
      try {
        await this.handleInput(tick, input, settled, failed)
      } catch (error) {
        if ('done' in input) input.done.reject(error)
        else this.onError(`input ${input.kind} failed`, error)
      }
    }
    try {
      await dispatchReady(this.parts.dispatching, tick)
    } catch (error) {
      this.onError('dispatch failed', error)
    }
    const mustCommit = this.isStopping || settled.length > 0 || batch.some((i) => i.kind === 'flush')
    if (!mustCommit && tick.canWait()) {
      this.open = tick
      this.openTimer ??= setTimeout(() => {
        this.openTimer = null
        this.mailbox.post({ kind: 'flush' })
      }, OPEN_TICK_MS)
      return
    }
    if (!this.commit(tick)) {
      for (const reject of failed)
        reject(
          new BanzaiError(
            'unavailable',
            'the event log cannot be written (disk full?); nothing was recorded',
          ),
        )
      return
    }
    for (const run of settled) run()
  }

  private async handleInput(
    tick: Tick,
    input: Input,
    settled: (() => void)[],
    failed: ((error: unknown) => void)[],
  ): Promise<void> {
    switch (input.kind) {
      case 'message':
        return this.parts.handleReport(tick, input.message)
      case 'clock':
        return applyClock(this.parts.clockTick, tick)
      case 'dispatch':
        return // runTick dispatches after every batch
      case 'flush':
        return // runTick commits a batch with a flush input
      case 'workerGone':
        return loseWorker(this.parts.workerLost, tick, input.workerId, 'disconnected')
      case 'cancel':
        return handleCancel(this.parts.requests, tick, input, settled, failed)
      case 'submit':
        return handleSubmit(this.parts.requests, tick, input, settled, failed)
      case 'delete':
        return handleDelete(this.parts.deleting, tick, input, settled, failed)
      case 'exclusive':
        // Run at the start of the tick by runTick, never here.
        throw new BanzaiError('bug', 'an exclusive input reached handleInput')
    }
  }

  /** Commits a tick (engine/commit.ts), then counts it, lets go of ended pipelines and sends. */
  private commit(tick: Tick): boolean {
    if (tick.events.length === 0 && tick.writes.length === 0) {
      this.flush(tick)
      return true
    }
    const started = performance.now()
    try {
      writeTick(this.parts.committing, tick)
    } catch (error) {
      this.onError('commit failed; the tick was rolled back', error)
      return false
    }
    recordAppendSeconds(this.counters, (performance.now() - started) / 1000)
    this.seq += tick.events.length
    countCommitted(this.counters, tick.events)
    this.gc.noteCommitted(tick.events)
    for (const id of tick.finished) {
      this.state.actors.delete(id)
      this.state.times.forget(id)
    }
    this.flush(tick)
    if (tick.events.length > 0) for (const listener of this.listeners) listener(tick.events)
    return true
  }

  private flush(tick: Tick): void {
    // Credit freed: look for units to dispatch soon rather than at the next clock tick.
    if (sendAfterCommit({ transport: this.state.transport, onError: this.onError }, tick))
      this.mailbox.post({ kind: 'dispatch' })
  }
}
