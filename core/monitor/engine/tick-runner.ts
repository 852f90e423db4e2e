import { BanzaiError, type StoredEvent } from '../../domain/index.ts'
import { applyClock } from './clock-tick.ts'
import { sendAfterCommit, writeTick } from './commit.ts'
import { countCommitted, type MonitorCounters, recordCommit } from './counters.ts'
import { handleDelete } from './delete-request.ts'
import { dispatchReady } from './dispatch.ts'
import { loseWorker } from './dispatch-worker-lost.ts'
import type { EngineParts, EngineState } from './engine-parts.ts'
import type { GarbageCollector } from './garbage-collector.ts'
import { handleCancel, handleSubmit, type Input } from './requests.ts'
import { decideMemoCheck, resumePendingStarts } from './step-start.ts'
import type { SpaceReserve } from '../sqlite/space-reserve.ts'
import { OPEN_TICK_MS, Tick } from './tick.ts'

/** What running ticks uses, besides the engine's parts and state. */
export interface TickRunnerDeps {
  state: EngineState
  parts: EngineParts
  counters: MonitorCounters
  gc: GarbageCollector
  /** Who hears of each committed tick's events (SSE, read models). */
  listeners: ReadonlySet<(events: StoredEvent[]) => void>
  /** Queues an input (a clock input after a tick that freed credit). */
  post: (input: Input) => void
  /** Problems the engine survives. */
  onError: (message: string, error: unknown) => void
  /** Room kept for a full disk: made again after a commit, once there is room. */
  reserve?: SpaceReserve
}

/** How often a released space reserve is tried again, ms. */
const REARM_EVERY_MS = 3_000

/**
 * Runs the engine's ticks (SPEC §5): one batch of inputs, one transaction, then the sends. Exclusive
 * work runs first, at a tick boundary; a failed commit rolls the actors back and fails the
 * tick's requests. Counts the committed events in `seq`.
 */
export class TickRunner {
  /** The last committed event's global seq. */
  seq = 0
  /** Set at stop: every tick then commits at once. */
  isStopping = false
  private rearmedAt = Number.NEGATIVE_INFINITY
  /** A tick left open for the next batch (Tick.canWait), and the timer that commits it anyway. */
  private open: Tick | null = null
  private openTimer: NodeJS.Timeout | null = null

  constructor(private readonly deps: TickRunnerDeps) {}

  /** Handles one batch of inputs as one tick (or adds it to the tick left open). */
  async run(batch: Input[]): Promise<void> {
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
        await this.handle(tick, input, settled, failed)
      } catch (error) {
        if ('done' in input) input.done.reject(error)
        else this.deps.onError(`input ${input.kind} failed`, error)
      }
    }
    try {
      await dispatchReady(this.deps.parts.dispatching, tick)
    } catch (error) {
      this.deps.onError('dispatch failed', error)
    }
    const mustCommit = this.isStopping || settled.length > 0 || batch.some((i) => i.kind === 'flush')
    if (!mustCommit && tick.canWait()) {
      // Only starts and progress: a quick unit's success then commits with its start (one fsync).
      this.open = tick
      this.openTimer ??= setTimeout(() => {
        this.openTimer = null
        this.deps.post({ kind: 'flush' })
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
    this.rearm()
  }

  private async handle(
    tick: Tick,
    input: Input,
    settled: (() => void)[],
    failed: ((error: unknown) => void)[],
  ): Promise<void> {
    const parts = this.deps.parts
    switch (input.kind) {
      case 'message':
        return parts.handleReport(tick, input.message)
      case 'checked':
        return parts.handleReport(tick, input.message, input.readable)
      case 'memoChecked':
        return decideMemoCheck(parts.starting, tick, input.verdict)
      case 'resumeStarts':
        return resumePendingStarts(parts.starting, tick)
      case 'clock':
        return applyClock(parts.clockTick, tick)
      case 'dispatch':
        return // run() dispatches after every batch
      case 'flush':
        return // run() commits a batch with a flush input
      case 'workerGone':
        return loseWorker(parts.workerLost, tick, input.workerId, 'disconnected')
      case 'cancel':
        return handleCancel(parts.requests, tick, input, settled, failed)
      case 'submit':
        return handleSubmit(parts.requests, tick, input, settled, failed)
      case 'delete':
        return handleDelete(parts.deleting, tick, input, settled, failed)
      case 'exclusive':
        // Run at the start of the tick by run(), never here.
        throw new BanzaiError('bug', 'an exclusive input reached the tick')
    }
  }

  /** Commits a tick (engine/commit.ts), then counts it, lets go of ended pipelines and sends. */
  private commit(tick: Tick): boolean {
    if (tick.events.length === 0 && tick.writes.length === 0) {
      this.flush(tick)
      return true
    }
    const { state, parts, counters } = this.deps
    const started = performance.now()
    try {
      writeTick(parts.committing, tick)
    } catch (error) {
      this.deps.onError('commit failed; the tick was rolled back', error)
      return false
    }
    recordCommit(counters, (performance.now() - started) / 1000)
    this.seq += tick.events.length
    countCommitted(counters, tick.events)
    this.deps.gc.noteCommitted(tick.events)
    for (const id of tick.finished) {
      state.actors.delete(id)
      state.times.forget(id)
    }
    this.flush(tick)
    if (tick.events.length > 0) for (const listener of this.deps.listeners) listener(tick.events)
    return true
  }

  /** Commits the tick left open, if any (at stop). */
  commitOpen(): void {
    if (this.openTimer) clearTimeout(this.openTimer)
    this.openTimer = null
    if (this.open) this.commit(this.open)
    this.open = null
  }

  /** Tries to make a released reserve again, every REARM_EVERY_MS at most, between two commits. */
  private rearm(): void {
    const reserve = this.deps.reserve
    const now = this.deps.state.clock.monotonic()
    if (!reserve?.isReleased() || now - this.rearmedAt < REARM_EVERY_MS) return
    this.rearmedAt = now
    try {
      reserve.arm()
    } catch (error) {
      this.deps.onError('the space reserve could not be made again', error)
    }
  }

  private flush(tick: Tick): void {
    // Credit freed: look for units to dispatch soon rather than at the next clock tick.
    if (sendAfterCommit({ transport: this.deps.state.transport, onError: this.deps.onError }, tick))
      this.deps.post({ kind: 'dispatch' })
  }
}
