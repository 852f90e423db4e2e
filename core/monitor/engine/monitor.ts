import {
  BanzaiError,
  type Catalogue,
  type Cid,
  type DatasetManifest,
  type DomainEvent,
  evolveDetail,
  FINAL_EVENTS,
  type MonitorTransport,
  type PipelineId,
  type PipelineSpec,
  persistPipeline,
  readManifest,
  stepPipeline,
  type StoredEvent,
  type Store,
} from '../../domain/index.ts'
import { EventLog } from '../event-log.ts'
import { LeaseTable } from '../lease-table.ts'
import { MemoTable } from '../memo-table.ts'
import { PipelineTable } from '../pipeline-table.ts'
import type { MonitorSettings } from '../settings.ts'
import type { Db } from '../sqlite/open-database.ts'
import { TaskLogTable } from '../task-log-table.ts'
import { WorkerRegistry } from '../worker-registry.ts'
import { executeCommand } from './commands.ts'
import type { Actor, Clock, EngineContext, MonitorCounters } from './context.ts'
import { dispatchReady } from './dispatch.ts'
import { applyClock } from './clock-tick.ts'
import { MonotonicTimes, stepKey, unitKey } from './monotonic-times.ts'
import { createReportHandler } from './reports.ts'
import { handleCancel, handleSubmit, type Input } from './requests.ts'
import { restoreLive } from './restore.ts'
import { settleFollowers } from './step-start.ts'
import { Tick } from './tick.ts'

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
}

const systemClock: Clock = { wall: () => Date.now(), monotonic: () => performance.now() }

function defaultPipelineId(): string {
  return `p${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
}

/**
 * The monitor's engine: the event log, the pipeline actors, the scheduler and the memo. Inputs
 * (worker messages, submissions, cancels, clock ticks) are handled in ticks; each tick's events
 * commit in one transaction, then orders, cancels and acks are sent.
 */
export class Monitor implements EngineContext {
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
  readonly actors = new Map<PipelineId, Actor>()
  readonly times: MonotonicTimes
  readonly counters: MonitorCounters = {
    dispatched: 0,
    succeeded: 0,
    failed: 0,
    cached: 0,
    joined: 0,
    expired: 0,
    ignored: 0,
    appendSeconds: [],
  }
  private readonly db: Db
  private readonly newPipelineId: () => string
  private readonly onError: (message: string, error: unknown) => void
  private readonly handleReport: ReturnType<typeof createReportHandler>
  private readonly manifests = new Map<string, DatasetManifest>()
  private readonly listeners = new Set<(events: StoredEvent[]) => void>()
  private inputs: Input[] = []
  private running: Promise<void> | null = null
  private seq = 0
  private timer: NodeJS.Timeout | null = null
  private closed = false

  constructor(deps: MonitorDeps) {
    this.db = deps.db
    this.catalogue = deps.catalogue
    this.store = deps.store
    this.transport = deps.transport
    this.settings = deps.settings
    this.clock = deps.clock ?? systemClock
    this.newPipelineId = deps.newPipelineId ?? defaultPipelineId
    this.onError = deps.onError ?? ((message, error) => console.error(`monitor: ${message}`, error))
    this.log = new EventLog(this.db)
    this.pipelines = new PipelineTable(this.db)
    this.memo = new MemoTable(this.db)
    this.taskLogs = new TaskLogTable(this.db)
    this.leases = new LeaseTable(this.settings.leaseMs)
    this.workers = new WorkerRegistry(this.settings.workerTimeoutMs)
    this.times = new MonotonicTimes(this.clock)
    this.handleReport = createReportHandler(this)
  }

  /**
   * Loads the live pipelines from their snapshots (no replay of history, nothing re-sent),
   * gives their in-flight units a fresh lease, and starts listening and ticking.
   */
  start(): void {
    this.seq = this.log.lastSeq()
    restoreLive(this)
    this.transport.onMessage((message) => this.enqueue({ kind: 'message', message }))
    this.transport.publish({ type: 'Hello', lanes: [] })
    this.timer = setInterval(() => this.enqueue({ kind: 'clock' }), this.settings.tickMs)
    this.enqueue({ kind: 'clock' })
  }

  /** Stops ticking and waits for the tick under way; the caller closes the transport and db. */
  async stop(): Promise<void> {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    await this.running
  }

  /** Registers a listener of committed events (SSE); returns the way to remove it. */
  onCommitted(listener: (events: StoredEvent[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Records a validated pipeline; resolves once `PipelineSubmitted` is committed. */
  submit(
    spec: PipelineSpec,
    options: { idempotencyKey?: string | null; retryOf?: string | null } = {},
  ): Promise<{ id: string; created: boolean }> {
    return new Promise((resolve, reject) => {
      this.enqueue({
        kind: 'submit',
        spec,
        idempotencyKey: options.idempotencyKey ?? null,
        retryOf: options.retryOf ?? null,
        done: { resolve, reject },
      })
    })
  }

  /** Cancels a live pipeline; resolves false when it had already ended. */
  cancel(id: string, reason = 'cancelled by request'): Promise<boolean> {
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'cancel', id: id as PipelineId, reason, done: { resolve, reject } }),
    )
  }

  /** The highest committed event seq. */
  lastSeq(): number {
    return this.seq
  }

  nowIso(): string {
    return new Date(this.clock.wall()).toISOString()
  }

  async manifest(cid: Cid): Promise<DatasetManifest> {
    const cached = this.manifests.get(cid)
    if (cached) return cached
    const manifest = await readManifest(this.store, cid)
    if (this.manifests.size >= 64) this.manifests.delete(this.manifests.keys().next().value!)
    this.manifests.set(cid, manifest)
    return manifest
  }

  async emit(tick: Tick, pipelineId: PipelineId, event: DomainEvent): Promise<void> {
    const actor = this.actors.get(pipelineId)
    if (!actor)
      throw new BanzaiError('bug', `event ${event.type} for pipeline ${pipelineId}, which is not live`)
    tick.touch(pipelineId, actor)
    const stored = {
      ...event,
      seq: this.seq + tick.events.length + 1,
      pipelineId,
      pipelineSeq: (actor.detail?.pipelineSeq ?? 0) + 1,
      at: this.nowIso(),
    }
    const { snapshot, commands } = stepPipeline(actor.snapshot, event, stored.at)
    actor.snapshot = snapshot
    actor.detail = evolveDetail(actor.detail, stored)
    actor.lastSeq = stored.seq
    tick.events.push(stored)
    if (event.type === 'StepStarted' || event.type === 'StepJoined')
      this.times.record(stepKey(pipelineId, event.data.step))
    if (event.type === 'UnitRetryScheduled') {
      const d = event.data
      this.times.record(
        unitKey(pipelineId, d.step, d.shard, d.attempt),
        Date.parse(d.notBefore) - Date.parse(stored.at),
      )
    }
    if (FINAL_EVENTS.has(event.type)) tick.finished.add(pipelineId)
    for (const command of commands) await executeCommand(this, tick, actor, command)
    if (
      event.type === 'StepSucceeded' ||
      event.type === 'StepFailed' ||
      event.type === 'PipelineFailed' ||
      event.type === 'PipelineCancelled'
    ) {
      await settleFollowers(this, tick, pipelineId)
    }
  }

  private enqueue(input: Input): void {
    if (this.closed) {
      if (input.kind === 'submit' || input.kind === 'cancel')
        input.done.reject(new BanzaiError('unavailable', 'the monitor is stopping'))
      return
    }
    if (input.kind === 'clock' && this.inputs.some((i) => i.kind === 'clock')) return
    this.inputs.push(input)
    // Start draining on the next turn of the event loop, so that inputs arriving together (a
    // burst of HTTP submissions, reports) share one tick and one fsync.
    if (!this.running)
      this.running = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain())
  }

  private async drain(): Promise<void> {
    try {
      while (this.inputs.length > 0) {
        const batch = this.inputs
        this.inputs = []
        await this.runTick(batch)
      }
    } finally {
      this.running = null
    }
  }

  private async runTick(batch: Input[]): Promise<void> {
    const tick = new Tick()
    const settled: (() => void)[] = []
    const failed: ((error: unknown) => void)[] = []
    for (const input of batch) {
      try {
        await this.handleInput(tick, input, settled, failed)
      } catch (error) {
        if (input.kind === 'submit' || input.kind === 'cancel') input.done.reject(error)
        else this.onError(`input ${input.kind} failed`, error)
      }
    }
    try {
      await dispatchReady(this, tick)
    } catch (error) {
      this.onError('dispatch failed', error)
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
        return this.handleReport(tick, input.message)
      case 'clock':
        return applyClock(this, tick)
      case 'cancel':
        return handleCancel(this, tick, input, settled, failed)
      case 'submit':
        return handleSubmit(this, this.newPipelineId, tick, input, settled, failed)
    }
  }

  /** Commits a tick: events, their writes and the touched snapshots in one transaction; then sends. */
  private commit(tick: Tick): boolean {
    if (tick.events.length === 0 && tick.writes.length === 0) {
      this.flush(tick)
      return true
    }
    const started = performance.now()
    try {
      this.db.transaction(() => {
        this.log.append(tick.events)
        for (const write of tick.writes) write()
        for (const id of tick.touched()) {
          const actor = this.actors.get(id)
          if (!actor?.detail) continue
          const live = actor.snapshot.context.status === 'active'
          this.pipelines.save(
            actor.detail,
            actor.lastSeq,
            live ? persistPipeline(actor.snapshot) : null,
            actor.idempotencyKey,
          )
        }
      })()
    } catch (error) {
      tick.rollback(this.actors)
      this.onError('commit failed; the tick was rolled back', error)
      return false
    }
    this.counters.appendSeconds.push((performance.now() - started) / 1000)
    if (this.counters.appendSeconds.length > 1000) this.counters.appendSeconds.splice(0, 500)
    this.seq += tick.events.length
    this.countCommitted(tick.events)
    for (const id of tick.finished) {
      this.actors.delete(id)
      this.times.forget(id)
    }
    this.flush(tick)
    if (tick.events.length > 0) for (const listener of this.listeners) listener(tick.events)
    return true
  }

  /** Counters reflect recorded events only, so a refused commit or a re-sent report never counts twice. */
  private countCommitted(events: readonly StoredEvent[]): void {
    const c = this.counters
    for (const e of events) {
      if (e.type === 'UnitDispatched') c.dispatched++
      else if (e.type === 'UnitSucceeded') c.succeeded++
      else if (e.type === 'UnitFailed') c.failed++
      else if (e.type === 'StepCacheHit') c.cached++
      else if (e.type === 'StepJoined') c.joined++
      else if (e.type === 'UnitLeaseExpired') c.expired++
      else if (e.type === 'UnitReportIgnored') c.ignored++
    }
  }

  private flush(tick: Tick): void {
    for (const run of tick.afterCommit) {
      try {
        run()
      } catch (error) {
        this.onError('a send after commit failed', error)
      }
    }
    if (tick.acks.size > 0) this.transport.publish({ type: 'Ack', orderIds: [...tick.acks] })
    // Credit freed or retries due: look again soon rather than at the next clock tick.
    if (tick.releasedOn.size > 0) this.enqueue({ kind: 'clock' })
  }
}
